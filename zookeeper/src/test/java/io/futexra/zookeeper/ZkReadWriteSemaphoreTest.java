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
import io.futexra.testing.SharedCounter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read/write locks and semaphores of a ZooKeeper space against a real server. Threads that must
 * act as separate clients open the space through clients of their own (separate sessions).
 */
class ZkReadWriteSemaphoreTest {

    private static final int ROUNDS = 40;
    private static TestingServer server;
    private URI uri;
    private LockSpace space;

    @TempDir
    Path scratch;

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
    void shouldShareReadsAndExcludeWritesAcrossClients() throws Exception {
        SharedCounter counter = SharedCounter.open(Files.createFile(scratch.resolve("rw")));
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 4; i++) {
            boolean writer = i < 2;
            URI client = ZkServers.otherClient(uri, i);
            threads.add(new Thread(() -> {
                try (LockSpace own = LockSpace.open(client)) {
                    NamedReadWriteLock rw = own.readWriteLock("rw");
                    for (int n = 0; n < ROUNDS; n++) {
                        if (writer) {
                            try (Held w = rw.writeLock().acquire(AwaitState.HANG_GUARD)) {
                                counter.enterExclusive();
                                counter.incrementPlain();
                                counter.exitExclusive();
                            }
                        } else {
                            try (Held r = rw.readLock().acquire(AwaitState.HANG_GUARD)) {
                                counter.enterShared();
                                counter.addAtomic(1);
                                counter.exitShared();
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, (writer ? "writer-" : "reader-") + i));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(t.isAlive(), t.getName() + " hung");
        }
        assertEquals(null, failure.get());
        assertEquals(0, counter.overlaps(), "a writer beside another holder");
        assertEquals(2L * ROUNDS, counter.count());
        assertEquals(2L * ROUNDS, counter.tally());
    }

    @Test
    void shouldLetReadersInTogetherButNotBesideAWriter() throws Exception {
        NamedReadWriteLock rw = space.readWriteLock("pair");
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
        NamedReadWriteLock rw = space.readWriteLock("upgrade");
        try (Held read = rw.readLock().acquire()) {
            assertThrows(IllegalStateException.class, () -> rw.writeLock().acquire(Duration.ofSeconds(1)));
        }
        try (Held write = rw.writeLock().acquire(Duration.ofSeconds(5))) {
            assertTrue(write.isHeld());
        }
    }

    @Test
    void shouldNotLetAQueuedWriterOvertakeADowngradedReader() throws Exception {
        NamedReadWriteLock rw = space.readWriteLock("downgrade");
        AtomicBoolean writerIn = new AtomicBoolean();
        Thread writer;
        Held read;
        try (Held write = rw.writeLock().acquire()) {
            writer = new Thread(() -> {
                try (LockSpace own = LockSpace.open(ZkServers.otherClient(uri, 7));
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
    void shouldNeverHandOutMoreThanItsPermits() throws Exception {
        SharedCounter counter = SharedCounter.open(Files.createFile(scratch.resolve("sem")));
        NamedSemaphore semaphore = space.semaphore("pool", 2);
        assertEquals(2, semaphore.permits());
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 4; i++) {
            URI client = ZkServers.otherClient(uri, i);
            threads.add(new Thread(() -> {
                try (LockSpace own = LockSpace.open(client)) {
                    NamedSemaphore mine = own.semaphore("pool", 2);
                    for (int n = 0; n < ROUNDS / 2; n++) {
                        try (Held permit = mine.acquire(AwaitState.HANG_GUARD)) {
                            if (counter.enterShared() > 2) {
                                counter.enterExclusive(); // counts an overlap: more holders than permits
                                counter.exitExclusive();
                            }
                            counter.addAtomic(1);
                            counter.exitShared();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "permit-taker-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(t.isAlive(), t.getName() + " hung");
        }
        assertEquals(null, failure.get());
        assertTrue(counter.maxConcurrent() <= 2, "max concurrent " + counter.maxConcurrent());
        assertEquals(0, counter.overlaps());
        assertEquals(4L * (ROUNDS / 2), counter.tally());
        assertEquals(2, semaphore.availablePermits());
    }

    @Test
    void shouldLeakNoPermitOnTimeoutOrInterrupt() throws Exception {
        NamedSemaphore semaphore = space.semaphore("leaky", 1);
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
        return children(ZkServers.handle(space).objectPath(name) + "/rw");
    }

    private int leaseNodes(String name) {
        return children(ZkServers.handle(space).objectPath(name) + "/semaphore/leases");
    }

    private int queuedNodes(String name) {
        return children(ZkServers.handle(space).objectPath(name) + "/semaphore/locks");
    }

    private int children(String path) {
        try {
            return ZkServers.handle(space).client().getChildren().forPath(path).size();
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
