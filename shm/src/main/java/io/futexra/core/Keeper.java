package io.futexra.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The thread that is this process's participant for <em>process-owned</em> acquisitions: locks
 * held on behalf of the process rather than a thread, such as a lock held until a JTA transaction
 * completes (its {@code afterCompletion} may run on the transaction reaper's thread) or a lock a
 * connection pool must be able to release from any thread.
 *
 * <p>Such a word holds the keeper's participant id (see {@link Participants}); the keeper's alive
 * word in each space is linked into the keeper's own robust list, which only the keeper touches:
 * registrations run on the keeper thread ({@link #call}). Otherwise the keeper only waits for
 * such tasks; it never exits while a process-owned hold is open (they are counted, see
 * {@link ProcessHolds}), so the kernel reports its words' owner dead exactly when the process
 * dies. The keeper thread itself takes no lock: the thread that acquires for the process writes
 * the keeper's id into the word or record, and any thread that closes the hold releases it.
 *
 * <p>Started on first use; stopped by {@link ProcessContext} when nothing uses it.
 */
final class Keeper {

    private Thread thread;
    private LinkedBlockingQueue<Runnable> tasks;

    /** Runs {@code task} on the keeper thread, starting it if needed, and returns its result. */
    synchronized <T> T call(Supplier<T> task) {
        if (thread == null) {
            LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> serve(queue), "futex-ra-keeper");
            t.setDaemon(true);
            t.start();
            thread = t;
            tasks = queue;
        }
        FutureTask<T> future = new FutureTask<>(task::get);
        tasks.add(future);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    throw new IllegalStateException("the keeper thread failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void serve(LinkedBlockingQueue<Runnable> queue) {
        try {
            while (true) {
                queue.take().run();
            }
        } catch (InterruptedException stop) {
            // stopped: nothing is owned by the keeper any more
        }
    }

    /** Ends the keeper thread; only called when it owns nothing. */
    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
            tasks = null;
        }
    }
}
