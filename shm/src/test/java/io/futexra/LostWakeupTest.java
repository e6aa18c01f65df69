package io.futexra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing wedged: two waiters asleep on a full semaphore (or on a read/write lock's full reader
 * table), one permit returned: the woken waiter takes it and returns it, and the other must then
 * be woken too. (Found by the default build hanging once: a waiter woken from its sleep claimed the
 * record without {@code WAITERS}, so its release woke nobody while the other still slept.)
 */
@Timeout(300)
class LostWakeupTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final ExecutorService pool = scratch.pool();

    @RepeatedTest(3)
    void shouldWakeTheSecondSleeperWhenTheFirstReturnsThePermit() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "wake")) {
            NamedSemaphore sem = space.semaphore("one", 1);
            Held first = sem.acquire();
            AtomicBoolean firstIn = new AtomicBoolean();
            List<Future<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(pool.submit(() -> {
                    try (Held h = sem.acquire(AwaitState.HANG_GUARD)) { // LockTimeoutException here is the lost wake-up
                        if (firstIn.compareAndSet(false, true)) {
                            AwaitState.waiters(space, "one", 1); // hold it while the other sleeps on
                        }
                    }
                    return true;
                }));
            }
            AwaitState.waiters(space, "one", 2);
            first.close();
            for (Future<Boolean> w : waiters) {
                assertTrue(w.get(2 * AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        }
    }
}
