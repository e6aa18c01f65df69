package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import io.futexra.testing.AwaitState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Read/write locks and semaphores of a ZooKeeper space against a real server, beyond the
 * contracts: a downgrade that a queued writer must not overtake, and no lease left by timed-out or
 * interrupted acquires. A thread that must act as another client opens the space through a client
 * of its own (another session).
 */
class ZkReadWriteSemaphoreTest {

    @RegisterExtension
    final FreshSpace fresh = new FreshSpace();

    @Test
    void shouldLetReadersInTogetherButNotBesideAWriter() throws Exception {
        NamedReadWriteLock rw = fresh.space().readWriteLock("pair");
        try (Held read = rw.readLock().acquire()) {
            assertTrue(elsewhere(() -> rw.readLock().tryAcquire()), "a second reader gets in");
            assertFalse(elsewhere(() -> rw.writeLock().tryAcquire()), "a writer does not");
        }
        try (Held write = rw.writeLock().acquire()) {
            assertFalse(elsewhere(() -> rw.readLock().tryAcquire()));
            assertFalse(elsewhere(() -> rw.writeLock().tryAcquire()));
        }
    }

    @Test
    void shouldRefuseAnUpgrade() {
        NamedReadWriteLock rw = fresh.space().readWriteLock("upgrade");
        try (Held read = rw.readLock().acquire()) {
            assertThrows(IllegalStateException.class, () -> rw.writeLock().acquire(Duration.ofSeconds(1)));
        }
        try (Held write = rw.writeLock().acquire(Duration.ofSeconds(5))) {
            assertTrue(write.isHeld());
        }
    }

    @Test
    void shouldNotLetAQueuedWriterOvertakeADowngradedReader() throws Exception {
        NamedReadWriteLock rw = fresh.space().readWriteLock("downgrade");
        AtomicBoolean writerIn = new AtomicBoolean();
        Thread writer;
        Held read;
        try (Held write = rw.writeLock().acquire()) {
            writer = new Thread(() -> {
                try (LockSpace own = LockSpace.open(ZkServers.otherClient(fresh.uri(), 7));
                     Held w = own.readWriteLock("downgrade").writeLock().acquire(AwaitState.HANG_GUARD)) {
                    writerIn.set(true);
                }
            }, "queued-writer");
            writer.start();
            AwaitState.until("the writer is queued", () -> rwNodes("downgrade") == 2);
            read = rw.readLock().acquire(Duration.ofSeconds(5)); // the downgrade
        }
        assertEquals(3, rwNodes("downgrade"), "the write node stays while the downgraded read is held");
        assertFalse(writerIn.get(), "the queued writer got in beside the downgraded reader");
        read.close();
        writer.join(AwaitState.HANG_GUARD.toMillis());
        assertTrue(writerIn.get());
    }

    @Test
    void shouldLeakNoPermitOnTimeoutOrInterrupt() throws Exception {
        NamedSemaphore semaphore = fresh.space().semaphore("leaky", 1);
        try (Held only = semaphore.acquire()) {
            assertEquals(0, semaphore.availablePermits());
            assertFalse(elsewhere(semaphore::tryAcquire));
            AtomicReference<Throwable> timedOut = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    semaphore.acquire(Duration.ofMillis(200)).close();
                } catch (Throwable e) {
                    timedOut.set(e);
                }
            });
            t.start();
            t.join(AwaitState.HANG_GUARD.toMillis());
            assertTrue(timedOut.get() instanceof LockTimeoutException, String.valueOf(timedOut.get()));
            for (int i = 0; i < 3; i++) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                AtomicBoolean flag = new AtomicBoolean();
                Thread waiter = new Thread(() -> {
                    try {
                        semaphore.acquire().close();
                    } catch (Throwable e) {
                        thrown.set(e);
                        flag.set(Thread.currentThread().isInterrupted());
                    }
                });
                waiter.start();
                AwaitState.until("the waiter is queued", () -> leaseNodes("leaky") + queuedNodes("leaky") >= 2);
                waiter.interrupt();
                waiter.join(AwaitState.HANG_GUARD.toMillis());
                assertTrue(thrown.get() instanceof LockInterruptedException, String.valueOf(thrown.get()));
                assertTrue(flag.get());
            }
            AwaitState.until("only the holder's lease is left", () -> leaseNodes("leaky") == 1);
        }
        AwaitState.until("every permit back", () -> semaphore.availablePermits() == 1);
        Held permit = semaphore.acquire(Duration.ofSeconds(5));
        Thread other = new Thread(() -> assertThrows(IllegalMonitorStateException.class, permit::close));
        other.start();
        other.join(AwaitState.HANG_GUARD.toMillis());
        assertEquals(0, semaphore.availablePermits());
        permit.close();
        assertEquals(1, semaphore.availablePermits());
    }

    private int rwNodes(String name) {
        return children(ZkServers.handle(fresh.space()).objectPath(name) + "/rw");
    }

    private int leaseNodes(String name) {
        return children(ZkServers.handle(fresh.space()).objectPath(name) + "/semaphore/leases");
    }

    private int queuedNodes(String name) {
        return children(ZkServers.handle(fresh.space()).objectPath(name) + "/semaphore/locks");
    }

    private int children(String path) {
        try {
            return ZkServers.handle(fresh.space()).client().getChildren().forPath(path).size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Whether {@code attempt} on another thread got a hold (released there at once). */
    private static boolean elsewhere(java.util.function.Supplier<Optional<Held>> attempt) throws InterruptedException {
        AtomicBoolean got = new AtomicBoolean();
        Thread t = new Thread(() -> attempt.get().ifPresent(h -> {
            got.set(true);
            h.close();
        }), "elsewhere");
        t.start();
        t.join(AwaitState.HANG_GUARD.toMillis());
        assertFalse(t.isAlive(), "hung");
        return got.get();
    }
}
