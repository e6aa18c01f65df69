package io.futexra;

import io.futexra.testing.AwaitState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A waiter in this JVM for a lock another process holds, to see whether it is told of the holder's death. */
final class DeathWaiter {

    private DeathWaiter() {
    }

    /**
     * Starts a thread that sleeps on {@code lockName} of {@code space} (a hang guard of 120 s) and
     * returns once it sleeps; the future completes with whether it was told the owner died.
     */
    static CompletableFuture<Boolean> sleepOn(LockSpace space, String lockName) throws InterruptedException {
        NamedLock lock = space.lock(lockName);
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        new Thread(() -> {
            try (Held h = lock.acquire(Duration.ofSeconds(120))) {
                waiter.complete(h.previousOwnerDied());
            } catch (RuntimeException | Error e) {
                waiter.completeExceptionally(e);
            }
        }, "private-waiter").start();
        AwaitState.waiters(space, lockName, 1);
        return waiter;
    }
}
