package io.futexra.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that owns this process's <em>process-owned</em> acquisitions: locks held on behalf
 * of the process rather than a thread, such as a lock held until a JTA transaction completes (its
 * {@code afterCompletion} may run on the transaction reaper's thread) or a lock a connection pool
 * must be able to release from any thread.
 *
 * <p>Such a word holds the keeper's TID, and its node is linked into the keeper's robust list. The
 * keeper itself only sleeps: it never exits while it owns anything, so the kernel reports its
 * words' owner dead exactly when the process dies. Other threads edit the keeper's list, always
 * under this object's monitor; the kernel reads the list only when the keeper exits.
 *
 * <p>Started on first use; stopped by {@link ProcessContext} when nothing uses it.
 */
final class Keeper {

    private final Kernel kernel;
    private Thread thread;
    private volatile ThreadContext context;

    Keeper(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The keeper's context, starting the keeper if needed. Call under this object's monitor. */
    ThreadContext context() {
        if (thread == null) {
            start();
        }
        return context;
    }

    private void start() {
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            context = new ThreadContext(kernel);
            ready.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.park(this);
            }
        }, "futex-ra-keeper");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                ready.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        thread = t;
    }

    /** Ends the keeper thread; only called when it owns nothing. */
    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
            context = null;
        }
    }
}
