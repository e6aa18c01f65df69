package io.futexra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing wedged: two waiters asleep on a full semaphore (or on a read/write lock's full reader
 * table), one permit returned: the woken waiter takes it and returns it, and the other must then
 * be woken too. (Found by the default build hanging once: a waiter woken from its sleep claimed the
 * record without {@code WAITERS}, so its release woke nobody while the other still slept.)
 */
@Timeout(120)
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
            List<Future<Long>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    try (Held h = sem.acquire(Duration.ofSeconds(10))) {
                        Thread.sleep(50); // hold it while the other sleeps on
                    }
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (space.objects().get(0).waiters() < 2) {
                assertTrue(System.nanoTime() < deadline, "the waiters never slept");
                Thread.sleep(5);
            }
            first.close();
            for (Future<Long> w : waiters) {
                long millis = w.get(30, TimeUnit.SECONDS); // LockTimeoutException here is the lost wake-up
                assertTrue(millis < 5_000, "a waiter took " + millis + " ms");
            }
        }
    }
}
