package io.futexra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import io.futexra.OwnerDeathNotice;
import io.futexra.linux.LinuxKernel;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Owner-death watches: a child JVM holding a lock is killed with SIGKILL, and the watcher is woken
 * by the kernel's robust-futex handling — when it is the only waiter, and when a real waiter (who
 * may get the kernel's single wake) waits too. Normal releases must still reach real waiters.
 */
@Timeout(120)
class OwnerDeathWatchTest {

    private final TestSpaces dirs = new TestSpaces();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ExecutorService pool : pools) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        dirs.close();
    }

    private EventDispatcher dispatcher() {
        ExecutorService pool = Executors.newCachedThreadPool();
        pools.add(pool);
        return new EventDispatcher(pool::execute, LinuxKernel.load());
    }

    /**
     * One death, one notice: a second holder is killed, and each watcher's next notice must name
     * it (token {@code token}), not repeat an earlier death.
     */
    private void assertNextDeathIs(long token, LockSpace space, String spaceName, String lock,
                                   List<BlockingQueue<OwnerDeathNotice>> watchers) throws InterruptedException {
        try (ChildJvm second = holder(spaceName, lock)) {
            AwaitState.watchers(space, lock, watchers.size());
            second.kill9();
            for (BlockingQueue<OwnerDeathNotice> deaths : watchers) {
                OwnerDeathNotice n = deaths.poll(60, TimeUnit.SECONDS);
                assertNotNull(n, "the second death must be reported");
                assertEquals(token, n.deadOwnerToken(), "the next notice is the second death, not a repeat: " + n);
            }
        }
    }

    private ChildJvm holder(String space, String lock) throws InterruptedException {
        ChildJvm child = ChildJvm.start("hold", dirs.directory().toString(), space, lock);
        child.awaitLine("HELD", Duration.ofSeconds(60));
        return child;
    }

    @Test
    void shouldTellTheWatcherWhenTheHolderIsKilledAndNobodyElseWaits() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death1"); EventDispatcher d = dispatcher()) {
            NamedLock lock = space.lock("nightly");
            long origin = space.objects().get(0).fencingToken(); // tokens start at the creation time in ns
            BlockingQueue<OwnerDeathNotice> deaths = new LinkedBlockingQueue<>();
            try (ChildJvm child = holder("death1", "nightly")) {
                d.watchOwnerDeath(lock, deaths::add);
                AwaitState.watchers(space, "nightly", 1); // the leader sleeps on the word: the kernel must wake it
                assertTrue(deaths.isEmpty(), "a live holder is not reported");
                assertEquals(0, AwaitState.info(space, "nightly").waiters(), "a watcher is not a waiter");
                child.kill9();
                OwnerDeathNotice n = deaths.poll(10, TimeUnit.SECONDS);
                assertNotNull(n, "the kernel's wake must reach the watcher");
                assertEquals("nightly", n.lock());
                assertEquals(origin + 1, n.deadOwnerToken(), "the dead holder's token");
                assertFalse(n.recovered(), "nobody took it over yet");
                assertTrue(n.ownerTid() > 0);
            }
            try (Held h = lock.acquire(Duration.ofSeconds(5))) {
                assertTrue(h.previousOwnerDied(), "the next acquirer is still told");
                assertEquals(origin + 2, h.fencingToken());
            }
            assertNextDeathIs(origin + 3, space, "death1", "nightly", List.of(deaths));
        }
    }

    @Test
    void shouldTellTheWatcherWhenARealWaiterTakesTheKernelsWake() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death2"); EventDispatcher d = dispatcher()) {
            NamedLock lock = space.lock("nightly");
            long origin = space.objects().get(0).fencingToken(); // tokens start at the creation time in ns
            BlockingQueue<OwnerDeathNotice> deaths = new LinkedBlockingQueue<>();
            try (ChildJvm child = holder("death2", "nightly");
                 ChildJvm waiter = ChildJvm.start("await", dirs.directory().toString(), "death2", "nightly")) {
                waiter.awaitLine("WAITING", Duration.ofSeconds(60));
                AwaitState.waiters(space, "nightly", 1);
                d.watchOwnerDeath(lock, deaths::add);
                AwaitState.watchers(space, "nightly", 1); // both asleep in the kernel's queue for the word
                child.kill9();
                String acquired = waiter.awaitLine("ACQUIRED", Duration.ofSeconds(20));
                assertTrue(acquired.contains("died=true"), "the real waiter takes it over: " + acquired);
                OwnerDeathNotice n = deaths.poll(10, TimeUnit.SECONDS);
                assertNotNull(n, "the watcher learns of the death whoever got the kernel's wake");
                assertEquals(origin + 1, n.deadOwnerToken());
                assertEquals(0, waiter.awaitExit(Duration.ofSeconds(20)));
            }
            assertNextDeathIs(origin + 3, space, "death2", "nightly", List.of(deaths));
        }
    }

    @Test
    void shouldTellEveryWatcherThoughTheKernelWakesOne() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death5");
             EventDispatcher a = dispatcher(); EventDispatcher b = dispatcher()) {
            NamedLock lock = space.lock("nightly");
            long origin = space.objects().get(0).fencingToken(); // tokens start at the creation time in ns
            BlockingQueue<OwnerDeathNotice> toA = new LinkedBlockingQueue<>();
            BlockingQueue<OwnerDeathNotice> toB = new LinkedBlockingQueue<>();
            try (ChildJvm child = holder("death5", "nightly")) {
                a.watchOwnerDeath(lock, toA::add);
                b.watchOwnerDeath(lock, toB::add);
                AwaitState.watchers(space, "nightly", 2); // both asleep: the kernel's single wake reaches one
                child.kill9();
                OwnerDeathNotice na = toA.poll(10, TimeUnit.SECONDS);
                OwnerDeathNotice nb = toB.poll(10, TimeUnit.SECONDS);
                assertNotNull(na, "watcher a told");
                assertNotNull(nb, "watcher b told");
                assertEquals(origin + 1, na.deadOwnerToken());
                assertEquals(origin + 1, nb.deadOwnerToken());
            }
            try (Held h = lock.acquire(Duration.ofSeconds(5))) {
                assertEquals(origin + 2, h.fencingToken());
            }
            assertNextDeathIs(origin + 3, space, "death5", "nightly", List.of(toA, toB));
        }
    }

    @Test
    void shouldLetReleasesReachRealWaitersWhileWatched() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death3"); EventDispatcher d = dispatcher()) {
            NamedLock lock = space.lock("busy");
            BlockingQueue<OwnerDeathNotice> deaths = new LinkedBlockingQueue<>();
            d.watchOwnerDeath(lock, deaths::add);
            for (int round = 0; round < 20; round++) {
                Held held = lock.acquire(Duration.ofSeconds(5));
                try (ChildJvm waiter = round % 5 == 0
                        ? ChildJvm.start("await", dirs.directory().toString(), "death3", "busy") : null) {
                    if (waiter != null) {
                        waiter.awaitLine("WAITING", Duration.ofSeconds(60));
                        AwaitState.waiters(space, "busy", 1); // asleep, or about to be, behind the watcher
                    }
                    held.close(); // the release's single wake may reach the watcher: it must pass it on
                    if (waiter != null) {
                        String acquired = waiter.awaitLine("ACQUIRED", Duration.ofSeconds(20));
                        assertTrue(acquired.contains("died=false"), acquired);
                        assertEquals(0, waiter.awaitExit(Duration.ofSeconds(20)));
                    }
                }
            }
            assertTrue(deaths.isEmpty(), "releases are not deaths: " + deaths);
        }
    }

    @Test
    void shouldCountWatchersApartFromWaitersAndNeverAsContention() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death6"); EventDispatcher d = dispatcher()) {
            NamedLock lock = space.lock("quiet");
            d.watchOwnerDeath(lock, n -> { });
            AwaitState.watchers(space, "quiet", 1);
            for (int i = 0; i < 10; i++) {
                lock.acquire(Duration.ofSeconds(5)).close(); // each release wakes the watcher, which sleeps again
            }
            AwaitState.watchers(space, "quiet", 1);
            ObjectInfo info = AwaitState.info(space, "quiet");
            assertEquals(1, info.watchers());
            assertEquals(0, info.waiters(), "a watcher is not a waiter");
            assertEquals(10, info.acquisitions());
            assertEquals(0, info.contendedAcquisitions(), "nobody waited: a watch is not contention");
        }
    }

    @Test
    void shouldRefuseToWatchAFairLock() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death4"); EventDispatcher d = dispatcher()) {
            NamedLock fair = space.lock("fair", LockOptions.fair());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.watchOwnerDeath(fair, n -> { }));
            assertTrue(e.getMessage().contains("GREEDY"), e.getMessage());
        }
    }
}
