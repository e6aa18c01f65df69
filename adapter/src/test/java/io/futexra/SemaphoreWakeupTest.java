package io.futexra;

import io.futexra.testing.TestSpaces;
import java.time.Duration;
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
 * on that record), or its release wakes nobody and the rest time out with permits free.
 */
@Timeout(60)
class SemaphoreWakeupTest {
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
            NamedSemaphore s = space.semaphore("s", 2);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(CompletableFuture.runAsync(() -> {
                    if (fresh) {
                        Thread t = new Thread(() -> once(s));
                        t.start();
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    } else {
                        once(s);
                    }
                }, pool));
            }
            calls.forEach(CompletableFuture::join);
            pool.shutdown();
        }
    }

    private static void once(NamedSemaphore s) {
        try (Held h = s.acquire(Duration.ofSeconds(20))) {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
