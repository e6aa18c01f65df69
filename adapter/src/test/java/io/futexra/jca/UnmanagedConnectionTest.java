package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.testing.TestSpaces;
import jakarta.resource.ResourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outbound adapter without a server (an unpooled factory): configuration errors, release on
 * close and on cleanup from another thread, every primitive, and stop waking waiters. What needs
 * the server (pooling, JNDI, JTA) is in arquillian-tests.
 */
@Timeout(60)
class UnmanagedConnectionTest {

    private final TestSpaces dirs = new TestSpaces();
    private final FutexManagedConnectionFactory mcf = new FutexManagedConnectionFactory();

    private LockFactory factory() throws ResourceException {
        mcf.setDirectory(dirs.directory().toString());
        mcf.setSpace("jca");
        return (LockFactory) mcf.createConnectionFactory();
    }

    @AfterEach
    void cleanUp() throws Exception {
        mcf.close();
        dirs.close();
    }

    @Test
    void shouldExplainADirectoryThatCannotBeUsed() throws Exception {
        Path file = Files.createFile(Files.createDirectories(dirs.directory()).resolve("not-a-directory"));
        for (String[] bad : new String[][] {
                {file.toString(), "is not a directory"},
                {"/proc/futex-ra", "does not exist and cannot be created"}}) {
            mcf.setDirectory(bad[0]);
            ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
            assertTrue(e.getMessage().contains("FUTEXRA040") && e.getMessage().contains("'directory' = '" + bad[0] + "'")
                    && e.getMessage().contains(bad[1]) && e.getMessage().contains("futexra.directory"), e.getMessage());
        }
        assertFalse(Files.exists(Path.of("/proc/futex-ra")));
    }

    @Test
    void shouldNameTheBadPropertyAndTheFix() {
        mcf.setDirectory("relative/dir");
        ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("FUTEXRA040") && e.getMessage().contains("'directory'")
                && e.getMessage().contains("absolute"), e.getMessage());
        mcf.setDirectory(dirs.directory().toString());
        mcf.setFileMode("rwx");
        e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("'fileMode'") && e.getMessage().contains("rw-rw----"), e.getMessage());
        mcf.setFileMode("rw-------");
        mcf.setDefaultPolicy("FIFO");
        e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("'defaultPolicy'") && e.getMessage().contains("GREEDY or FAIR"), e.getMessage());
        mcf.setDefaultPolicy("fair");
        mcf.setSpace("../escape");
        e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("invalid space name"), e.getMessage());
    }

    @Test
    void shouldLockAConnectionLockThroughItsLockViewReentrantly() throws Exception {
        try (LockConnection c = factory().getConnection(); LockSpace other = LockSpace.open(dirs.directory(), "jca")) {
            java.util.concurrent.locks.Lock view = c.lock("view").asLock();
            view.lock();
            assertTrue(view.tryLock(1, TimeUnit.SECONDS), "the view re-enters, though the connection lock does not");
            assertEquals(Optional.empty(), CompletableFuture.supplyAsync(() -> other.lock("view").tryAcquire()).join());
            CompletableFuture<Throwable> foreign = CompletableFuture.supplyAsync(() -> {
                try {
                    view.unlock();
                    return null;
                } catch (IllegalMonitorStateException expected) {
                    return expected;
                }
            });
            assertTrue(foreign.join() instanceof IllegalMonitorStateException, "unlock by another thread");
            view.unlock();
            assertEquals(Optional.empty(), CompletableFuture.supplyAsync(() -> other.lock("view").tryAcquire()).join(),
                    "held once more");
            view.unlock();
            assertTrue(CompletableFuture.supplyAsync(() -> other.lock("view").tryAcquire().map(h -> {
                h.close();
                return true;
            })).join().orElse(false), "free after as many unlocks as locks");
        }
    }

    @Test
    void shouldReleaseWhatAClosedConnectionStillHolds() throws Exception {
        LockFactory locks = factory();
        LockConnection c = locks.getConnection();
        c.lock("a").acquire(Duration.ofSeconds(1));
        c.semaphore("s", 1).acquire(Duration.ofSeconds(1));
        c.readWriteLock("rw").readLock().acquire(Duration.ofSeconds(1));
        try (LockSpace other = LockSpace.open(dirs.directory(), "jca")) {
            assertEquals(Optional.empty(), CompletableFuture.supplyAsync(() -> other.lock("a").tryAcquire()).join());
            assertEquals(0, other.semaphore("s", 1).availablePermits());
            c.close();
            assertTrue(CompletableFuture.supplyAsync(() -> other.lock("a").tryAcquire().map(h -> {
                h.close();
                return true;
            })).join().orElse(false));
            assertEquals(1, other.semaphore("s", 1).availablePermits());
            assertTrue(CompletableFuture.supplyAsync(() -> other.readWriteLock("rw").writeLock().tryAcquire().map(h -> {
                h.close();
                return true;
            })).join().orElse(false), "the read hold was released, so a writer gets in");
        }
        assertThrows(IllegalStateException.class, () -> c.lock("a"));
    }

    @Test
    void shouldReleaseOnCloseExactlyWhatWasAcquiredThroughThatConnection() throws Exception {
        LockFactory locks = factory();
        LockConnection a = locks.getConnection();
        LockConnection b = locks.getConnection();
        a.lock("both"); // a handle for the lock b takes: nothing acquired through a
        Held viaB = b.lock("both").acquire(Duration.ofSeconds(1));
        a.readWriteLock("rw-w").writeLock().acquire(Duration.ofSeconds(1));
        a.close();
        assertTrue(viaB.isHeld(), "b's hold stays: a made a handle for the same lock, never acquired through it");
        try (LockSpace other = LockSpace.open(dirs.directory(), "jca")) {
            assertEquals(Optional.empty(), CompletableFuture.supplyAsync(() -> other.lock("both").tryAcquire()).join());
            assertTrue(CompletableFuture.supplyAsync(() -> other.readWriteLock("rw-w").writeLock().tryAcquire().map(h -> {
                h.close();
                return true;
            })).join().orElse(false), "a's write hold was released with a");
            b.close();
            assertFalse(viaB.isHeld(), "released with b");
            assertTrue(CompletableFuture.supplyAsync(() -> other.lock("both").tryAcquire().map(h -> {
                h.close();
                return true;
            })).join().orElse(false), "free once b closed");
        }
    }

    @Test
    void shouldLetContainerCleanupOnAnotherThreadReleaseEverything() throws Exception {
        factory();
        FutexManagedConnection mc = (FutexManagedConnection) mcf.createManagedConnection(null, null);
        LockConnection c = (LockConnection) mc.getConnection(null, null);
        Held lock = c.lock("b").acquire(Duration.ofSeconds(1));
        c.semaphore("t", 2).acquire(Duration.ofSeconds(1));
        CompletableFuture.runAsync(mc::destroy).join(); // the pool, on one of its own threads
        try (LockSpace other = LockSpace.open(dirs.directory(), "jca"); Held h = other.lock("b").tryAcquire().orElseThrow()) {
            assertTrue(h.fencingToken() > lock.fencingToken());
            assertEquals(2, other.semaphore("t", 2).availablePermits());
        }
        lock.close(); // already released: harmless
    }

    @Test
    void shouldWakeWaitersAndReleaseHoldsOnStop() throws Exception {
        LockFactory locks = factory();
        LockConnection holder = locks.getConnection();
        holder.lock("c").acquire(Duration.ofSeconds(1));
        AtomicReference<Throwable> waiterGot = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(2);
        Thread waiter = new Thread(() -> {
            try (LockConnection c = locks.getConnection()) {
                waiting.countDown();
                c.lock("c").acquire(Duration.ofMinutes(5));
            } catch (Throwable t) {
                waiterGot.set(t);
            }
        });
        AtomicReference<Throwable> eventWaiterGot = new AtomicReference<>();
        Thread eventWaiter = new Thread(() -> {
            try (LockConnection c = locks.getConnection()) {
                waiting.countDown();
                c.event("never", io.futexra.EventMode.AUTO_RESET).await(Duration.ofMinutes(5));
            } catch (Throwable t) {
                eventWaiterGot.set(t);
            }
        });
        waiter.start();
        eventWaiter.start();
        assertTrue(waiting.await(60, TimeUnit.SECONDS));
        try (LockSpace observer = LockSpace.open(dirs.directory(), "jca")) {
            AwaitState.waiters(observer, "c", 1); // both asleep in the kernel: stop must wake them
            AwaitState.waiters(observer, "never", 1);
        }
        mcf.close(); // = adapter stop
        waiter.join(AwaitState.HANG_GUARD.toMillis());
        eventWaiter.join(AwaitState.HANG_GUARD.toMillis());
        assertFalse(waiter.isAlive(), "stop must wake the lock waiter");
        assertFalse(eventWaiter.isAlive(), "stop must wake the event waiter");
        assertTrue(waiterGot.get() instanceof FutexRaException && waiterGot.get().getMessage().contains("FUTEXRA031"),
                String.valueOf(waiterGot.get()));
        assertTrue(eventWaiterGot.get() instanceof FutexRaException
                && eventWaiterGot.get().getMessage().contains("FUTEXRA031"), String.valueOf(eventWaiterGot.get()));
        try (LockSpace other = LockSpace.open(dirs.directory(), "jca")) {
            assertTrue(other.lock("c").tryAcquire().isPresent(), "stop released the holder's lock");
        }
        assertThrows(IllegalStateException.class, () -> holder.lock("c"));
    }

    /**
     * More waiters than {@link Waiters} has slots, so some share a slot and go to its overflow
     * set: stop must find and wake every one of them.
     */
    @Test
    void shouldWakeEveryWaiterOnStopHoweverManyWait() throws Exception {
        LockFactory locks = factory();
        LockConnection holder = locks.getConnection();
        holder.lock("crowded").acquire(Duration.ofSeconds(1));
        int count = 80;
        List<Thread> waiters = new ArrayList<>();
        List<AtomicReference<Throwable>> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            got.add(outcome);
            Thread waiter = new Thread(() -> {
                try (LockConnection c = locks.getConnection()) {
                    c.lock("crowded").acquire(Duration.ofMinutes(5));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            waiter.start();
            waiters.add(waiter);
        }
        try (LockSpace observer = LockSpace.open(dirs.directory(), "jca")) {
            AwaitState.waiters(observer, "crowded", count); // all asleep in the kernel
        }
        mcf.close(); // = adapter stop
        for (int i = 0; i < count; i++) {
            waiters.get(i).join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(waiters.get(i).isAlive(), "stop must wake waiter " + i);
            Throwable t = got.get(i).get();
            assertTrue(t instanceof FutexRaException && t.getMessage().contains("FUTEXRA031"), String.valueOf(t));
        }
    }

    /** The object's slot is shared by every handle: the same-thread refusal and isHeldByCurrentThread see through them. */
    @Test
    void shouldRefuseASecondAcquisitionOnTheHoldingThreadThroughAnyHandle() throws Exception {
        LockFactory locks = factory();
        try (LockConnection one = locks.getConnection(); LockConnection two = locks.getConnection()) {
            Held held = one.lock("row").acquire(Duration.ofSeconds(1));
            assertTrue(two.lock("row").isHeldByCurrentThread());
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> two.lock("row").acquire(Duration.ofSeconds(1)));
            assertTrue(again.getMessage().contains("FUTEXRA032"), again.getMessage());
            CompletableFuture<Boolean> elsewhere = new CompletableFuture<>();
            new Thread(() -> elsewhere.complete(one.lock("row").isHeldByCurrentThread())).start();
            assertFalse(elsewhere.get(60, TimeUnit.SECONDS), "held by the thread that acquired it only");
            held.close();
            assertFalse(one.lock("row").isHeldByCurrentThread());
            try (Held next = two.lock("row").acquire(Duration.ofSeconds(1))) {
                assertEquals(held.fencingToken() + 1, next.fencingToken());
                assertTrue(one.lock("row").isHeldByCurrentThread());
            }
        }
    }

    @Test
    void shouldBoundConcurrentHoldersOfASemaphoreThroughConnections() throws Exception {
        LockFactory locks = factory();
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        java.util.List<CompletableFuture<Void>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(CompletableFuture.runAsync(() -> {
                try (LockConnection c = locks.getConnection(); Held permit = c.semaphore("bounded", 2).acquire(Duration.ofSeconds(20))) {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(10);
                    inside.decrementAndGet();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        try {
            calls.forEach(CompletableFuture::join);
        } finally {
            pool.shutdown();
        }
        assertEquals(2, most.get());
    }

    @Test
    void shouldRefuseTransactionScopeWithoutAServer() throws Exception {
        try (LockConnection c = factory().getConnection()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> c.lock("d").acquireForTransaction(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("FUTEXRA030"), e.getMessage());
        }
    }

    /**
     * A hold made through a connection passes {@code onLost} on to the backend's hold while it is
     * not released, and never runs an action once released (the default {@code Held.onLost} would
     * run it at once, since a released hold is not held).
     */
    @Test
    void shouldPassLossActionsToTheBackendAndRunNoneOnceReleased() throws Exception {
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        try (LockConnection c = factory().getConnection()) {
            Held held = c.lock("told").acquire(Duration.ofSeconds(1));
            assertTrue(held.isHeld());
            held.onLost(ran::incrementAndGet);
            assertEquals(0, ran.get(), "a hold still held runs no loss action");
            held.close();
            held.onLost(ran::incrementAndGet);
            assertFalse(held.isHeld());
            assertEquals(0, ran.get(), "a released hold runs no loss action, registered before or after its release");
        }
    }
}
