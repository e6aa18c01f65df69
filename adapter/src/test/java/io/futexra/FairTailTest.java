package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.Scratch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No FAIR waiter is left asleep at the end of a burst. Rounds of a few threads, more than the
 * CPUs, each take the FAIR lock a few times and stop; a round ends when all have finished. A
 * waiter that queued just after a releaser (or the oldest waiter taking the word) had looked at
 * the queue used to sleep on a {@code WAITERS} that the next step then cleared: while others kept
 * coming, a later release woke it, but the last waiter of a burst slept until its timeout with
 * nothing held ({@code LockTimeoutException}: "Nothing is held"). That version failed this test
 * in 4 runs of 4 (each within its first seconds); the exclusion contract's 2 JVMs × 8 threads hung
 * about once in 130 runs under extra CPU load. Every pass is counted (a plain increment under the lock, an overlap
 * detector) so that the test also fails if the fix let two holders in.
 */
@Timeout(120)
class FairTailTest {

    private static final int THREADS = 6;
    private static final int PASSES = 20;
    /** How long the rounds run; the time box only ends the test, it decides nothing. */
    private static final Duration TIME_BOX = Duration.ofSeconds(4);
    /** Far longer than any hand-off of this test: a wait this long is a waiter nobody woke. */
    private static final Duration STRANDED = Duration.ofSeconds(10);

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final ExecutorService pool = scratch.pool();

    private long counter; // plain: guarded by the lock under test
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicLong passes = new AtomicLong();

    @Test
    void shouldLeaveNoWaiterAsleepAtTheEndOfABurst() throws Exception {
        NamedLock lock = scratch.space("tail").lock("tail", LockOptions.fair());
        long end = System.nanoTime() + TIME_BOX.toNanos();
        int rounds = 0;
        while (rounds < 20 || System.nanoTime() - end < 0) {
            rounds++;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PASSES; i++) {
                        try (Held held = lock.acquire(STRANDED)) { // LockTimeoutException: a stranded waiter
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counter++;
                            inside.decrementAndGet();
                        }
                        passes.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> thread : threads) {
                thread.get(2 * STRANDED.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertEquals(0, overlaps.get(), "two holders at once");
        assertEquals((long) rounds * THREADS * PASSES, passes.get(), "every pass of every round completed");
        assertEquals(passes.get(), counter, "no increment lost under the lock");
        assertTrue(lock.tryAcquire().map(held -> {
            held.close();
            return true;
        }).orElse(false), "free at the end");
    }
}
