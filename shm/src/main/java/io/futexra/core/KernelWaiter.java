package io.futexra.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The platform threads on which the kernel waits of virtual threads run, so that no carrier
 * thread ever sleeps in {@code futex_waitv} (see {@link VirtualCallers}).
 *
 * <p>A virtual thread that must wait hands the whole wait (an ordinary platform-thread wait of
 * the backend: spin, then {@link FutexSleep}) to a waiter thread and parks on a
 * {@link CompletableFuture}; parking a virtual thread frees its carrier. The waiter threads are
 * daemon platform threads of a cached pool: one runs each handed wait, and one that has had no
 * wait for {@link #IDLE_SECONDS} seconds ends, so an idle process keeps none. How many run at
 * once is bounded by the callers: {@link VirtualCallers} lets one virtual thread per lock, read
 * lock or semaphore wait in the kernel at a time (the others queue in the JVM), so a process
 * needs one waiter per object its virtual threads wait for, plus one per virtual thread awaiting
 * an event.
 *
 * <p>Interrupts. A virtual thread interrupted while it waits interrupts the waiter that runs its
 * wait (an interrupt before the waiter started is delivered when it starts: {@link Task}), then
 * waits, uninterruptibly, for the wait's outcome, which it returns or throws with its own
 * interrupt flag set: a wait that ended in {@link io.futexra.LockInterruptedException} reports
 * the interrupt; one that had just succeeded returns what it got, the flag telling the caller.
 * Timeouts are the handed wait's own.
 */
final class KernelWaiter {

    /** How long a waiter thread with nothing to wait for lives. */
    static final long IDLE_SECONDS = 30;

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private static final ThreadPoolExecutor WAITERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), KernelWaiter::newWaiter);

    private KernelWaiter() {
    }

    private static Thread newWaiter(Runnable work) {
        Thread t = new Thread(work, "futex-ra-waiter-" + NUMBER.incrementAndGet()); // a platform thread
        t.setDaemon(true);
        return t;
    }

    /**
     * Runs {@code wait} on a waiter thread while the caller parks; an interrupt of the caller
     * interrupts the wait (see the class comment).
     *
     * @return what {@code wait} returned
     */
    static <T> T await(Supplier<T> wait) {
        Task<T> task = new Task<>(wait);
        WAITERS.execute(task);
        try {
            return outcome(task, false);
        } catch (InterruptedException e) {
            task.interrupt();
            Thread.currentThread().interrupt();
            return uninterruptibly(task);
        }
    }

    /**
     * Runs {@code work} (which may wait briefly, as a name table's lock) on a waiter thread; the
     * caller's interrupts are kept for it, not passed on.
     */
    static <T> T call(Supplier<T> work) {
        Task<T> task = new Task<>(work);
        WAITERS.execute(task);
        return uninterruptibly(task);
    }

    private static <T> T uninterruptibly(Task<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome(task, interrupted);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T outcome(Task<T> task, boolean interrupted) throws InterruptedException {
        try {
            return task.outcome.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException("a futex-ra waiter thread failed: " + cause, cause);
        }
    }

    /**
     * One handed wait. {@link #interrupt()} interrupts the waiter while it runs the wait, or, if
     * it has not started yet, makes it start interrupted; a waiter clears its interrupt flag once
     * the wait is over, under the same lock, so no interrupt outlives its wait.
     */
    private static final class Task<T> implements Runnable {
        final CompletableFuture<T> outcome = new CompletableFuture<>();
        private final Supplier<T> work;
        private Thread runner;
        private boolean interrupted;
        private boolean over;

        Task(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            synchronized (this) {
                runner = Thread.currentThread();
                if (interrupted) {
                    runner.interrupt(); // interrupted before it started: the wait sees it at once
                }
            }
            try {
                outcome.complete(work.get());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            } finally {
                synchronized (this) {
                    over = true;
                    Thread.interrupted(); // this wait's interrupt ends with it
                }
            }
        }

        synchronized void interrupt() {
            interrupted = true;
            if (runner != null && !over) {
                runner.interrupt();
            }
        }
    }
}
