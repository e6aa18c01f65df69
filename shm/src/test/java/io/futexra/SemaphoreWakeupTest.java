package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: 6 threads share 2 permits, 24 acquisitions. A release clears WAITERS and wakes one
 * sleeper; the record's next claimer must set WAITERS again (it waited, so others may still sleep
 * on that record), or its release wakes nobody and the rest hang with permits free (caught by the
 * acquisition's hang guard). Every holder is counted in an occupancy detector: never more than 2
 * inside at once, and exactly 24 entries.
 */
@Timeout(300)
class SemaphoreWakeupTest {

    private static final int PERMITS = 2;
    private static final int ACQUISITIONS = 24;

    @Test
    void shouldWakeTheNextWaiterWhenSeveralSleptOnTheSamePermit() throws Exception {
        run(false);
    }

    @Test
    void shouldWakeTheNextWaiterWhenHoldersAreShortLivedThreads() throws Exception {
        run(true);
    }

    private void run(boolean fresh) throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "p")) {
            NamedSemaphore s = space.semaphore("s", PERMITS);
            SharedCounter occupancy = SharedCounter.open(dirs.file("occupancy"));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < ACQUISITIONS; i++) {
                calls.add(CompletableFuture.runAsync(() -> {
                    if (fresh) {
                        Thread t = new Thread(() -> once(s, occupancy));
                        t.start();
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    } else {
                        once(s, occupancy);
                    }
                }, pool));
            }
            calls.forEach(CompletableFuture::join);
            pool.shutdown();
            assertTrue(occupancy.maxConcurrent() <= PERMITS,
                    occupancy.maxConcurrent() + " holders inside at once with " + PERMITS + " permits");
            assertEquals(ACQUISITIONS, occupancy.tally(), "every acquisition entered exactly once");
            assertEquals(0, occupancy.overlaps());
            assertEquals(PERMITS, s.availablePermits(), "every permit returned");
            assertEquals(ACQUISITIONS, AwaitState.info(space, "s").acquisitions());
        }
    }

    private static void once(NamedSemaphore s, SharedCounter occupancy) {
        try (Held h = s.acquire(AwaitState.HANG_GUARD)) {
            occupancy.enterShared();
            occupancy.addAtomic(1);
            Thread.sleep(10); // hold a while, so that the others queue on the permits
            occupancy.exitShared();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
