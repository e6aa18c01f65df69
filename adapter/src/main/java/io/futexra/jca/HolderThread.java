package io.futexra.jca;

import io.futexra.Held;
import io.futexra.LockInterruptedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Holds a <em>thread-owned</em> acquisition (a semaphore permit) on a dedicated
 * platform thread, so that any thread may release it: the one way connection close, container
 * cleanup, transaction completion and adapter stop can release what the core only lets its
 * acquiring thread release.
 *
 * <p>The holder thread acquires (the caller waits for it, interruptibly: an interrupt of the caller
 * interrupts the holder's wait), then parks until {@link Held#close()} — on any thread — tells it
 * to release; close returns once it has. If the process dies the holder dies with it and the
 * kernel releases the hold, as for any thread. Cost: one thread start per acquisition (tens of
 * microseconds), which is why locks (both sides of a read/write lock) use the core's process-owned
 * acquisition instead.
 */
final class HolderThread {

    private HolderThread() {
    }

    static Held acquire(Supplier<Held> acquire, String what) {
        CompletableFuture<Held> acquired = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            Held held;
            try {
                held = acquire.get();
            } catch (Throwable t) {
                acquired.completeExceptionally(t);
                return;
            }
            if (!acquired.complete(held)) {
                held.close(); // the caller gave up meanwhile
                return;
            }
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // only close() ends a hold
                }
            }
            held.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }, "futex-ra-holder " + what);
        holder.setDaemon(true);
        holder.start();
        Held held;
        try {
            held = acquired.get();
        } catch (InterruptedException e) {
            holder.interrupt(); // ends the holder's wait; if it got the hold anyway it releases it
            if (!acquired.cancel(false)) {
                try {
                    acquired.join();
                    release.countDown();
                } catch (RuntimeException failedAnyway) {
                    // the holder's wait ended with the interrupt: nothing held
                }
            }
            Thread.currentThread().interrupt();
            throw new LockInterruptedException("interrupted while waiting for " + what
                    + ". Nothing is held; the thread's interrupt flag is still set.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return new Delegated(held, release, holder);
    }

    /** What the caller gets: the holder's acquisition, released through the holder. */
    private static final class Delegated implements Held {

        private final Held held;
        private final CountDownLatch release;
        private final Thread holder;

        Delegated(Held held, CountDownLatch release, Thread holder) {
            this.held = held;
            this.release = release;
            this.holder = holder;
        }

        @Override
        public boolean isHeld() {
            return held.isHeld();
        }

        @Override
        public long fencingToken() {
            return held.fencingToken();
        }

        @Override
        public boolean previousOwnerDied() {
            return held.previousOwnerDied();
        }

        @Override
        public void close() {
            release.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    holder.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
