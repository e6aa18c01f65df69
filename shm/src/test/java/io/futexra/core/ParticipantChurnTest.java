package io.futexra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.NamedLock;
import io.futexra.SpaceOptions;
import io.futexra.linux.LinuxKernel;
import io.futexra.testing.AwaitState;
import io.futexra.testing.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread churn while a space stays open: every short-lived thread that takes a lock becomes a
 * participant, and what the process remembers of the participants (to retire them when the file's
 * last handle closes) must not grow with the threads that have ended.
 */
@Timeout(180)
class ParticipantChurnTest {

    private static final int THREADS = 1000;
    /** At once: a pool's worth, far fewer than the space's participant entries. */
    private static final int BATCH = 8;

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldForgetTheParticipantsOfThreadsThatEnded() throws Exception {
        try (ShmLockSpace space = ShmLockSpace.open(dirs.directory(), "churn", SpaceOptions.defaults(),
                LinuxKernel.load())) {
            NamedLock lock = space.lock("l");
            AtomicInteger taken = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            for (int started = 0; started < THREADS; started += BATCH) {
                List<Thread> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    Thread t = new Thread(() -> {
                        try (Held h = lock.acquire(AwaitState.HANG_GUARD)) {
                            taken.incrementAndGet();
                        } catch (RuntimeException | Error e) {
                            failures.incrementAndGet();
                        }
                    });
                    t.start();
                    batch.add(t);
                }
                for (Thread t : batch) {
                    t.join();
                }
            }
            assertEquals(0, failures.get());
            assertEquals(THREADS, taken.get());
            assertEquals(THREADS, space.objects().get(0).acquisitions(), "each thread took the lock once");
            AwaitState.until("the ended threads' participants are forgotten (remembered now: "
                    + space.participation().remembered() + ")", () -> {
                        System.gc(); // the ended threads' Thread objects go ...
                        Thread next = new Thread(() -> lock.tryAcquire().ifPresent(Held::close)); // ... are polled by a new user ...
                        next.start();
                        join(next);
                        System.gc(); // ... and their participants, no longer kept by their state, go
                        return space.participation().remembered() <= 2 * BATCH;
                    });
            assertTrue(space.participation().remembered() <= 2 * BATCH);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
