package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.testing.AwaitState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Locks of one ZooKeeper space against a real server: ownership, reentrancy, waits, tokens, holds. */
class ZkLockTest {

    private static TestingServer server;
    private URI uri;
    private LockSpace space;

    @BeforeAll
    static void startServer() throws Exception {
        server = ZkServers.server();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void openSpace() {
        uri = ZkServers.freshSpace(server.getConnectString(), "2s");
        space = LockSpace.open(uri);
    }

    @AfterEach
    void closeSpace() {
        space.close();
    }

    @Test
    void shouldBeReentrantPerThreadWithTheOuterToken() {
        NamedLock lock = space.lock("reentrant");
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
        try (LockSpace again = LockSpace.open(uri); Held held = space.lock("shared").acquire()) {
            NamedLock other = again.lock("shared");
            assertTrue(other.isHeldByCurrentThread());
            try (Held inner = other.acquire(Duration.ofSeconds(5))) {
                assertEquals(held.fencingToken(), inner.fencingToken());
            }
        }
    }

    @Test
    void shouldTimeOutAndLeaveNoLockNodeBehind() throws Exception {
        NamedLock lock = space.lock("busy");
        try (Held held = lock.acquire()) {
            Throwable t = callElsewhere(() -> lock.acquire(Duration.ofMillis(300)));
            assertTrue(t instanceof LockTimeoutException, String.valueOf(t));
            assertTrue(callElsewhere(() -> lock.tryAcquire()) == null, "tryAcquire of a held lock is empty");
            AwaitState.until("only the holder's node is left", () -> lockNodes("busy") == 1);
        }
        AwaitState.until("no node is left", () -> lockNodes("busy") == 0);
    }

    @Test
    void shouldEndAWaitOnInterruptKeepingTheFlagAndLeavingNoNode() throws Exception {
        NamedLock lock = space.lock("interrupted");
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
            AwaitState.until("only the holder's node is left", () -> lockNodes("interrupted") == 1);
        }
        assertTrue(freeElsewhere(lock));
    }

    @Test
    void shouldRefuseAReleaseOnAnotherThreadAndReleaseNothing() throws Exception {
        NamedLock lock = space.lock("owned");
        Held held = lock.acquire();
        Throwable t = callElsewhere(() -> {
            held.close();
            return null;
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
        NamedLock lock = space.lock("fenced");
        long last = 0;
        for (int i = 0; i < 5; i++) {
            try (Held held = lock.acquire()) {
                assertTrue(held.fencingToken() > last, held.fencingToken() + " after " + last);
                last = held.fencingToken();
            }
            // drop the container so that Curator's sequence restarts at 0: the czxid still grows
            ZkServers.handle(space).client().delete().deletingChildrenIfNeeded()
                    .forPath(ZkServers.handle(space).objectPath("fenced") + "/lock");
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
        NamedLock lock = space.lock("process");
        Held held = lock.acquireForProcess(Duration.ofSeconds(5));
        assertFalse(lock.isHeldByCurrentThread(), "a process-owned hold is not the thread's");
        assertFalse(freeElsewhere(lock));
        Throwable t = callElsewhere(() -> lock.acquireForProcess(Duration.ofMillis(200)));
        assertTrue(t instanceof LockTimeoutException, "not reentrant: " + t);
        assertTrue(callElsewhere(() -> {
            held.close();
            held.close();
            return null;
        }) == null);
        assertFalse(held.isHeld());
        assertTrue(freeElsewhere(lock));
        try (Held mine = lock.acquire()) {
            assertThrows(IllegalStateException.class, () -> lock.acquireForProcess(Duration.ofSeconds(1)));
        }
    }

    @Test
    void shouldWorkThroughTheLockView() throws Exception {
        NamedLock lock = space.lock("view");
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
        assertThrows(IllegalArgumentException.class, () -> space.lock(""));
        assertThrows(IllegalArgumentException.class, () -> space.lock("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> space.lock("x".repeat(129)));
        space.lock("fair", LockOptions.fair());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> space.lock("fair", LockOptions.defaults()));
        assertTrue(other.getMessage().contains("exists with"), other.getMessage());
        space.lock("fair"); // no options given: takes it as it is
        space.semaphore("sem", 2);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> space.lock("sem"));
        assertTrue(kind.getMessage().contains("one name, one kind"), kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> space.semaphore("sem", 3));
        assertThrows(IllegalArgumentException.class, () -> space.semaphore("sem0", 0));
    }

    @Test
    void shouldKeepNamesWithSlashesDotsAndUnicodeApart() {
        List<String> names = List.of("a/b", "..", ".", "a%2Fb", "Zürich lock", "日本");
        for (String name : names) {
            space.lock(name);
        }
        List<String> listed = space.objects().stream().map(ObjectInfo::name).sorted().toList();
        assertEquals(names.stream().sorted().toList(), listed);
    }

    @Test
    void shouldListTheHolderAndTheWaiters() throws Exception {
        NamedLock lock = space.lock("listed");
        try (Held held = lock.acquire()) {
            Thread waiter = new Thread(() -> {
                try {
                    lock.acquire().close();
                } catch (RuntimeException ignored) {
                    // interrupted at the end
                }
            }, "lister-waiter");
            waiter.start();
            AwaitState.waiters(space, "listed", 1);
            ObjectInfo info = AwaitState.info(space, "listed");
            assertEquals(ObjectKind.LOCK, info.kind());
            assertTrue(info.isHeld());
            assertEquals(ProcessHandle.current().pid(), info.holderPid());
            assertEquals(held.fencingToken(), info.fencingToken());
            assertEquals(Thread.currentThread().getName(), info.holderThread());
            waiter.interrupt();
            waiter.join(AwaitState.HANG_GUARD.toMillis());
        }
        AwaitState.until("free in the listing", () -> !AwaitState.info(space, "listed").isHeld());
    }

    @Test
    void shouldStopHandingOutObjectsOnceClosedButKeepHolds() {
        LockSpace other = LockSpace.open(uri);
        Held held = other.lock("kept").acquire();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.lock("kept"));
        assertTrue(held.isHeld());
        held.close();
        assertNotEquals(0, space.objects().size());
    }

    private int lockNodes(String name) {
        try {
            return ZkServers.handle(space).client().getChildren().forPath(ZkServers.handle(space).objectPath(name)
                    + "/lock").size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Whether another thread can take the lock now (it releases it at once). */
    private static boolean freeElsewhere(NamedLock lock) {
        try {
            return callOn(() -> {
                Optional<Held> h = lock.tryAcquire();
                h.ifPresent(Held::close);
                return h.isPresent();
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What {@code call} threw on another thread, or null; an empty Optional also counts as null. */
    private static Throwable callElsewhere(java.util.concurrent.Callable<?> call) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(call.call());
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "elsewhere");
        t.start();
        t.join(AwaitState.HANG_GUARD.toMillis());
        assertFalse(t.isAlive(), "hung");
        if (result.get() instanceof Held h) {
            h.close();
            return null;
        }
        return thrown.get();
    }

    private static <T> T callOn(java.util.concurrent.Callable<T> call) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(call.call());
            } catch (Exception e) {
                thrown.set(e);
            }
        }, "elsewhere");
        t.start();
        t.join(AwaitState.HANG_GUARD.toMillis());
        if (thrown.get() != null) {
            throw thrown.get();
        }
        return result.get();
    }
}
