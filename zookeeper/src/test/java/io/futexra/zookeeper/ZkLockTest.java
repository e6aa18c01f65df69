package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.SpaceInUseException;
import io.futexra.testing.AwaitState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Locks of one ZooKeeper space against a real server: ownership, reentrancy, waits, tokens, holds. */
class ZkLockTest {

    @RegisterExtension
    final FreshSpace fresh = new FreshSpace();

    @Test
    void shouldBeReentrantPerThreadWithTheOuterToken() throws Exception {
        NamedLock lock = fresh.space().lock("reentrant");
        try (Held outer = lock.acquire()) {
            try (Held inner = lock.acquire(Duration.ofSeconds(5))) {
                assertEquals(outer.fencingToken(), inner.fencingToken());
                assertTrue(lock.isHeldByCurrentThread());
            }
            assertTrue(lock.isHeldByCurrentThread(), "still held after the inner release");
            assertFalse(freeElsewhere(lock));
        }
        assertFalse(lock.isHeldByCurrentThread());
        assertTrue(freeElsewhere(lock));
    }

    @Test
    void shouldBeTheSameLockThroughAnotherHandleOfTheProcess() {
        try (LockSpace again = LockSpace.open(fresh.uri()); Held held = fresh.space().lock("shared").acquire()) {
            NamedLock other = again.lock("shared");
            assertTrue(other.isHeldByCurrentThread());
            try (Held inner = other.acquire(Duration.ofSeconds(5))) {
                assertEquals(held.fencingToken(), inner.fencingToken());
            }
        }
    }

    @Test
    void shouldReleaseTheSharedClientOnceWhenThreadsCloseOneHandleAtOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            LockSpace handle = LockSpace.open(fresh.uri());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> closers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread closer = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    handle.close();
                }, "closer-" + i);
                closer.start();
                closers.add(closer);
            }
            go.countDown();
            for (Thread closer : closers) {
                closer.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(closer.isAlive(), "close hangs");
            }
        }
        // a second release of the shared client by one handle would have closed it under this one
        try (Held held = fresh.space().lock("after-closes").acquire(Duration.ofSeconds(30))) {
            assertTrue(held.isHeld());
        }
    }

    @Test
    void shouldKeepTheClientOfAWaiterWhoseSpaceHandleIsClosedMeanwhile() throws Exception {
        NamedLock lock = fresh.space().lock("outlived");
        LockSpace own = LockSpace.open(ZkServers.otherClient(fresh.uri(), 7)); // a client of its own, one user
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try (Held held = own.lock("outlived").acquire(AwaitState.HANG_GUARD)) {
                outcome.set(held.isHeld());
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        }, "outliving-waiter");
        try (Held held = lock.acquire()) {
            waiter.start();
            AwaitState.until("the waiter is queued", () -> lockNodes("outlived") == 2);
            own.close(); // the handle's last use of its client: the waiting acquisition keeps it open
        }
        waiter.join(AwaitState.HANG_GUARD.toMillis());
        assertFalse(waiter.isAlive(), "hung");
        assertEquals(Boolean.TRUE, outcome.get(), "the waiter got the lock, on a client still open");
    }

    @Test
    void shouldRefuseToAwaitEventsOfTwoBackendsNamingBoth(@TempDir Path dir) {
        try (LockSpace shm = LockSpace.open(URI.create("shm:" + dir.toUri().getRawPath() + "mixed"))) {
            NamedEvent local = shm.event("local", EventMode.MANUAL_RESET);
            NamedEvent remote = fresh.space().event("remote", EventMode.MANUAL_RESET);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NamedEvent.awaitAny(Duration.ofMillis(1), null, local, remote));
            assertTrue(e.getMessage().contains(local + " and " + remote), e.getMessage());
        }
    }

    @Test
    void shouldTimeOutAndLeaveNoLockNodeBehind() throws Exception {
        NamedLock lock = fresh.space().lock("busy");
        try (Held held = lock.acquire()) {
            Throwable t = callElsewhere(() -> lock.acquire(Duration.ofMillis(300)));
            assertTrue(t instanceof LockTimeoutException, String.valueOf(t));
            assertFalse(freeElsewhere(lock), "tryAcquire of a held lock is empty");
            AwaitState.until("only the holder's lock node and marker are left", () -> inLine("busy") == 2);
            assertEquals(1, lockNodes("busy"));
        }
        AwaitState.until("no node and no marker is left", () -> inLine("busy") == 0);
        try (Held next = lock.acquire(AwaitState.HANG_GUARD)) {
            assertFalse(next.previousOwnerDied(), "a waiter that timed out is no dead owner");
        }
    }

    @Test
    void shouldEndAWaitOnInterruptKeepingTheFlagAndLeavingNoNode() throws Exception {
        NamedLock lock = fresh.space().lock("interrupted");
        try (Held held = lock.acquire()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    lock.acquire().close();
                } catch (Throwable t) {
                    thrown.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            }, "interrupted-waiter");
            waiter.start();
            AwaitState.until("the waiter is queued", () -> lockNodes("interrupted") == 2);
            waiter.interrupt();
            waiter.join(AwaitState.HANG_GUARD.toMillis());
            assertTrue(thrown.get() instanceof LockInterruptedException, String.valueOf(thrown.get()));
            assertTrue(flag.get(), "the interrupt flag is kept");
            AwaitState.until("only the holder's lock node and marker are left", () -> inLine("interrupted") == 2);
            assertEquals(1, lockNodes("interrupted"));
        }
        try (Held next = lock.acquire(AwaitState.HANG_GUARD)) {
            assertFalse(next.previousOwnerDied(), "an interrupted waiter is no dead owner");
        }
    }

    @Test
    void shouldRefuseAReleaseOnAnotherThreadAndReleaseNothing() throws Exception {
        NamedLock lock = fresh.space().lock("owned");
        Held held = lock.acquire();
        Throwable t = callElsewhere(() -> {
            held.close();
            return true;
        });
        assertTrue(t instanceof IllegalMonitorStateException, String.valueOf(t));
        assertTrue(held.isHeld());
        assertFalse(freeElsewhere(lock));
        held.close();
        held.close(); // twice: harmless
        assertFalse(held.isHeld());
        assertTrue(freeElsewhere(lock));
    }

    @Test
    void shouldHandOutGrowingFencingTokensEvenWhenSequencesRestart() throws Exception {
        NamedLock lock = fresh.space().lock("fenced");
        long last = 0;
        for (int i = 0; i < 5; i++) {
            try (Held held = lock.acquire()) {
                assertTrue(held.fencingToken() > last, held.fencingToken() + " after " + last);
                last = held.fencingToken();
            }
            // drop the container so that Curator's sequence restarts at 0: the czxid still grows
            ZkServers.handle(fresh.space()).client().delete().deletingChildrenIfNeeded()
                    .forPath(ZkServers.handle(fresh.space()).objectPath("fenced") + "/lock");
        }
        long other = CompletableFuture.supplyAsync(() -> {
            try (Held held = lock.acquire()) {
                return held.fencingToken();
            }
        }, runnable -> new Thread(runnable, "other-holder").start()).get(60, TimeUnit.SECONDS);
        assertTrue(other > last);
    }

    @Test
    void shouldLetAnyThreadCloseAProcessOwnedHoldOnce() throws Exception {
        NamedLock lock = fresh.space().lock("process");
        Held held = lock.acquireForProcess(Duration.ofSeconds(5));
        assertFalse(lock.isHeldByCurrentThread(), "a process-owned hold is not the thread's");
        assertFalse(freeElsewhere(lock));
        Throwable t = callElsewhere(() -> lock.acquireForProcess(Duration.ofMillis(200)));
        assertTrue(t instanceof LockTimeoutException, "not reentrant: " + t);
        assertEquals(null, callElsewhere(() -> {
            held.close();
            held.close();
            return true;
        }), "closed from another thread, twice");
        assertFalse(held.isHeld());
        assertTrue(freeElsewhere(lock));
        try (Held mine = lock.acquire()) {
            assertThrows(IllegalStateException.class, () -> lock.acquireForProcess(Duration.ofSeconds(1)));
        }
    }

    @Test
    void shouldWorkThroughTheLockView() throws Exception {
        NamedLock lock = fresh.space().lock("view");
        assertSame(lock.asLock(), lock.asLock());
        lock.asLock().lock();
        try {
            assertTrue(lock.asLock().tryLock(1, TimeUnit.SECONDS));
            lock.asLock().unlock();
            assertFalse(freeElsewhere(lock));
        } finally {
            lock.asLock().unlock();
        }
        assertTrue(freeElsewhere(lock));
    }

    @Test
    void shouldRefuseBadNamesOtherKindsAndOtherOptions() {
        assertThrows(IllegalArgumentException.class, () -> fresh.space().lock(""));
        assertThrows(IllegalArgumentException.class, () -> fresh.space().lock("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> fresh.space().lock("x".repeat(129)));
        fresh.space().lock("fair", LockOptions.fair());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> fresh.space().lock("fair", LockOptions.defaults()));
        assertTrue(other.getMessage().contains("exists with"), other.getMessage());
        fresh.space().lock("fair"); // no options given: takes it as it is
        fresh.space().semaphore("sem", 2);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> fresh.space().lock("sem"));
        assertTrue(kind.getMessage().contains("one name, one kind"), kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fresh.space().semaphore("sem", 3));
        assertThrows(IllegalArgumentException.class, () -> fresh.space().semaphore("sem0", 0));
    }

    @Test
    void shouldKeepNamesWithSlashesDotsAndUnicodeApart() {
        List<String> names = List.of("a/b", "..", ".", "a%2Fb", "Zürich lock", "日本");
        for (String name : names) {
            fresh.space().lock(name);
        }
        List<String> listed = fresh.space().objects().stream().map(ObjectInfo::name).sorted().toList();
        assertEquals(names.stream().sorted().toList(), listed);
    }

    @Test
    void shouldListTheHolderAndTheWaiters() throws Exception {
        NamedLock lock = fresh.space().lock("listed");
        try (Held held = lock.acquire()) {
            Thread waiter = new Thread(() -> {
                try {
                    lock.acquire().close();
                } catch (RuntimeException ignored) {
                    // interrupted at the end
                }
            }, "lister-waiter");
            waiter.start();
            AwaitState.waiters(fresh.space(), "listed", 1);
            ObjectInfo info = AwaitState.info(fresh.space(), "listed");
            assertEquals(ObjectKind.LOCK, info.kind());
            assertTrue(info.isHeld());
            assertEquals(ProcessHandle.current().pid(), info.holderPid());
            assertEquals(held.fencingToken(), info.fencingToken());
            assertEquals(Thread.currentThread().getName(), info.holderThread());
            waiter.interrupt();
            waiter.join(AwaitState.HANG_GUARD.toMillis());
        }
        AwaitState.until("free in the listing", () -> !AwaitState.info(fresh.space(), "listed").isHeld());
    }

    @Test
    void shouldListARegistrationNoFutexRaWroteAsMalformedShowingWhatItHolds() throws Exception {
        fresh.space().lock("planted", LockOptions.fair());
        ZkSpace zk = ZkServers.handle(fresh.space());
        String znode = zk.path() + "/objects/" + ZkNames.encode("planted");
        for (String entry : List.of("LOCK FAIR", "LOCK BARGING spin=3", "LOCK FAIR spin=x", "SEMAPHORE many", "NOKIND")) {
            zk.client().setData().forPath(znode, entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ObjectInfo listed = AwaitState.info(fresh.space(), "planted");
            assertNull(listed.kind(), entry);
            assertEquals("malformed registration: '" + entry + "'", listed.holderThread());
        }
    }

    @Test
    void shouldStopHandingOutObjectsOnceClosedButKeepHolds() {
        LockSpace other = LockSpace.open(fresh.uri());
        Held held = other.lock("kept").acquire();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.lock("kept"));
        assertTrue(held.isHeld());
        held.close();
        assertNotEquals(0, fresh.space().objects().size());
    }

    @Test
    void shouldRemoveASpaceOnlyWhenNothingIsHeldInIt() throws Exception {
        NamedLock lock = fresh.space().lock("pinned");
        try (Held held = lock.acquire()) {
            assertThrows(SpaceInUseException.class, () -> LockSpace.remove(fresh.uri()));
            assertEquals(1, fresh.space().objects().size(), "nothing removed");
        }
        AwaitState.until("the released lock node is gone", () -> lockNodes("pinned") == 0);
        assertTrue(LockSpace.exists(fresh.uri()));
        assertTrue(LockSpace.remove(fresh.uri()));
        assertFalse(LockSpace.remove(fresh.uri()), "no such space any more");
        assertFalse(LockSpace.exists(fresh.uri()), "exists asks the ensemble and creates nothing");
        assertFalse(LockSpace.exists(fresh.uri()));
    }

    /** The lock nodes in the line of lock {@code name}. */
    private int lockNodes(String name) {
        return ZkLockLine.lockNodes(line(name)).size();
    }

    /** Everything in the line of lock {@code name}: lock nodes and markers. */
    private int inLine(String name) {
        return line(name).size();
    }

    private List<String> line(String name) {
        try {
            return ZkServers.handle(fresh.space()).client().getChildren().forPath(ZkServers.handle(fresh.space()).objectPath(name)
                    + "/lock");
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Whether another thread can take the lock now (it releases it at once). */
    private static boolean freeElsewhere(NamedLock lock) throws Exception {
        return callElsewhere(() -> lock.tryAcquire().map(h -> {
            h.close();
            return true;
        }).orElse(false)) == null;
    }

    /**
     * Runs {@code call} on another thread: what it threw, or null if it returned a {@code Held}
     * (closed there at once) or {@code true}; an empty result (false, an empty Optional, null) is
     * returned as an {@link AssertionError} saying so.
     */
    private static Throwable callElsewhere(Callable<?> call) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Object result = call.call();
                if (result instanceof Optional<?> o) {
                    result = o.orElse(null);
                }
                if (result instanceof Held h) {
                    h.close();
                    result = true;
                }
                outcome.set(Boolean.TRUE.equals(result) ? null : new AssertionError("nothing acquired: " + result));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "elsewhere");
        t.start();
        t.join(AwaitState.HANG_GUARD.toMillis());
        assertFalse(t.isAlive(), "hung");
        return (Throwable) outcome.get();
    }
}
