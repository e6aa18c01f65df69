package io.futexra.jca;

import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.NamedLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * TEMPORARY stand-in for the core's coming {@code NamedLock.acquireForProcess(Duration)}: the lock
 * is acquired and held by a dedicated platform thread, released when any thread closes the
 * returned {@link Held}. Same semantics (any thread may release; the kernel releases it if the
 * process dies; not reentrant), one thread per acquisition. Deleted once the core has it.
 */
final class ProcessOwnership {

    private ProcessOwnership() {
    }

    static Held acquire(NamedLock lock, Duration timeout) {
        CompletableFuture<Held> acquired = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            Held held;
            try {
                held = lock.acquire(timeout);
            } catch (Throwable t) {
                acquired.completeExceptionally(t);
                return;
            }
            if (!acquired.complete(held)) {
                held.close(); // the caller gave up meanwhile
                return;
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        }, "futex-ra-holder");
        holder.setDaemon(true);
        holder.start();
        Held held;
        try {
            held = acquired.get();
        } catch (InterruptedException e) {
            holder.interrupt();
            if (!acquired.cancel(false)) {
                try {
                    acquired.join().close();
                } catch (RuntimeException failedAnyway) {
                    // the holder's wait ended with the interrupt: nothing held
                }
            }
            Thread.currentThread().interrupt();
            throw new LockInterruptedException("interrupted while waiting for lock '" + lock.name() + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return new Held() {
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
                try {
                    holder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
