package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.kit.SpaceFigures;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LockSpace#statistics}: the space's counters and this process's figures, exact for
 * counts; times only checked for what a wait or a hold must at least have taken.
 */
@Timeout(120)
class StatisticsTest {

    @Test
    void shouldCountEveryAcquisitionAndNoWaitWhenUncontended() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "stats")) {
            NamedLock lock = space.lock("quiet");
            for (int i = 0; i < 1000; i++) {
                try (Held h = lock.acquire()) {
                    assertTrue(h.fencingToken() > 0);
                }
            }
            LockStatistics quiet = only(space.statistics(Set.of("quiet"), 0));
            assertEquals(1000, quiet.acquisitions());
            assertEquals(0, quiet.contendedAcquisitions());
            assertEquals(0, quiet.timeouts());
            assertEquals(0, quiet.waitTime().count());
            assertEquals(1000 / LockStatistics.HOLD_SAMPLE_INTERVAL, quiet.holdTime().count());
            assertEquals(0, quiet.holders());
        }
    }

    @Test
    void shouldCountAContendedAcquisitionItsWaitAndATimeout() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "stats")) {
            NamedLock lock = space.lock("busy");
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Held h = lock.acquire()) {
                    held.countDown();
                    await(release);
                }
            }, "holder");
            holder.start();
            await(held);
            assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(20)));

            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try (Held h = lock.acquire(AwaitState.HANG_GUARD)) {
                    assertFalse(h.previousOwnerDied());
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "waiter");
            waiter.start();
            AwaitState.waiters(space, "busy", 1);
            LockStatistics during = only(space.statistics(Set.of("busy"), 0));
            assertEquals(1, during.holders());
            assertEquals(1, during.waiters());
            Thread.sleep(5); // the wait lasts at least this long
            release.countDown();
            holder.join(AwaitState.HANG_GUARD.toMillis());
            waiter.join(AwaitState.HANG_GUARD.toMillis());
            assertEquals(null, failed.get());

            LockStatistics busy = only(space.statistics(Set.of("busy"), 0));
            assertEquals(2, busy.acquisitions());
            assertEquals(1, busy.contendedAcquisitions());
            assertEquals(1, busy.timeouts());
            assertEquals(1, busy.waitTime().count());
            assertTrue(busy.waitTime().maxNanos() >= 5_000_000, busy.waitTime().toString());
            assertEquals(0, busy.holders());
            assertEquals(0, busy.waiters());
            SpaceStatistics all = space.statistics(Set.of(), 0);
            assertEquals(1, all.timeouts());
            assertEquals(1, all.waitTime().count());
            assertEquals(List.of(), all.selected());
        }
    }

    @Test
    void shouldShowAHolderKilledWithSigkillAsOneOwnerDeath() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "stats");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "stats", "doomed")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            assertEquals(1, only(space.statistics(Set.of("doomed"), 0)).holders());
            holder.kill9();
            try (Held h = space.lock("doomed").acquire(AwaitState.HANG_GUARD)) {
                assertTrue(h.previousOwnerDied());
            }
            LockStatistics doomed = only(space.statistics(Set.of("doomed"), 0));
            assertEquals(1, doomed.ownerDeaths());
            assertEquals(2, doomed.acquisitions());
            assertEquals(1, space.statistics(Set.of(), 0).ownerDeaths());
        }
    }

    /**
     * Read acquisitions from several threads at once are each counted once; a re-entry is not an
     * acquisition; a process-owned read and a write are; the checker finds the counters consistent.
     */
    @Test
    void shouldCountEveryReadAcquisitionOnceFromManyThreads() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "stats")) {
            NamedReadWriteLock rw = space.readWriteLock("catalog");
            int threads = 4;
            int reads = 500;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < reads; i++) {
                            try (Held h = rw.readLock().acquire(); Held again = rw.readLock().acquire()) {
                                assertTrue(again.isHeld()); // a re-entry: not counted
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                reader.start();
                readers.add(reader);
            }
            start.countDown();
            for (Thread reader : readers) {
                reader.join();
            }
            rw.readLock().acquireForProcess(Duration.ofSeconds(5)).close();
            rw.writeLock().acquire().close();
            LockStatistics catalog = only(space.statistics(Set.of("catalog"), 0));
            assertEquals((long) threads * reads + 2, catalog.acquisitions());
            assertEquals((long) threads * reads + 2, AwaitState.info(space, "catalog").acquisitions());
            SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("stats.space"));
            assertTrue(report.isValid(), report.toString());
        }
    }

    @Test
    void shouldGiveTheNamedObjectsAndTheHottestOthersOnly() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "stats")) {
            for (int i = 0; i < 50; i++) {
                NamedLock lock = space.lock("lock-" + i);
                for (int n = 0; n < i; n++) {
                    lock.acquire().close();
                }
            }
            SpaceStatistics stats = space.statistics(Set.of("lock-3"), 2);
            assertEquals(50, stats.objects());
            assertEquals(49 * 50 / 2, stats.acquisitions());
            assertEquals(List.of("lock-3", "lock-49", "lock-48"), stats.selected().stream().map(LockStatistics::name).toList());
        }
    }

    @Test
    void shouldMeasureNothingInProcessWhenFiguresAreOff() throws Exception {
        String before = System.getProperty(SpaceFigures.PROPERTY);
        System.setProperty(SpaceFigures.PROPERTY, "false");
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "off")) {
            NamedLock lock = space.lock("quiet");
            for (int i = 0; i < 16; i++) {
                lock.acquire().close();
            }
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Held h = lock.acquire()) {
                    held.countDown();
                    await(release);
                }
            }, "holder");
            holder.start();
            await(held);
            assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(20)));
            release.countDown();
            holder.join(AwaitState.HANG_GUARD.toMillis());
            LockStatistics quiet = only(space.statistics(Set.of("quiet"), 0));
            assertEquals(17, quiet.acquisitions());
            assertEquals(0, quiet.timeouts());
            assertEquals(0, quiet.holdTime().count());
        } finally {
            if (before == null) {
                System.clearProperty(SpaceFigures.PROPERTY);
            } else {
                System.setProperty(SpaceFigures.PROPERTY, before);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(AwaitState.HANG_GUARD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "hung");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static LockStatistics only(SpaceStatistics stats) {
        assertEquals(1, stats.selected().size(), stats.selected().toString());
        return stats.selected().get(0);
    }
}
