package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedSemaphore;
import io.futexra.SpaceUnavailableException;
import io.futexra.testing.AwaitState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every call returns within its own bound when no server answers: {@code tryAcquire} within the
 * connection timeout (+ 1 s), {@code acquire(d)} within {@code d} + the connection timeout (+ 1 s),
 * both with {@link SpaceUnavailableException}; a release returns at once. Here the bound is the
 * behaviour under test, so it is asserted, with a 2 s margin for a loaded machine; the measured
 * times are printed.
 */
class ZkBoundsTest {

    private static final long CONNECTION_MILLIS = 2000;
    private static final long MARGIN_MILLIS = 2000;

    @Test
    void shouldGiveUpWithinTheConnectionTimeoutWhenTheOnlyServerIsStopped() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = URI.create(ZkServers.freshSpace(server.getConnectString(), "4s") + "&connectionTimeout="
                    + CONNECTION_MILLIS + "ms");
            try (LockSpace space = LockSpace.open(uri)) {
                NamedLock lock = space.lock("bounded");
                NamedSemaphore permits = space.semaphore("bounded-permits", 1);
                NamedLock write = space.readWriteLock("bounded-rw").writeLock();
                server.stop();
                long bound = CONNECTION_MILLIS + 1000;
                measure("tryAcquire, lock", bound, lock::tryAcquire);
                measure("acquire(3s), lock", 3000 + bound, () -> lock.acquire(Duration.ofSeconds(3)));
                measure("acquire(3s), write lock", 3000 + bound, () -> write.acquire(Duration.ofSeconds(3)));
                measure("tryAcquire, semaphore", bound, permits::tryAcquire);
                measure("acquireForProcess(3s), lock", 3000 + bound, () -> lock.acquireForProcess(Duration.ofSeconds(3)));
                measure("lock(name), registering a new lock", bound, () -> space.lock("new-name"));
            }
        }
    }

    @Test
    void shouldGiveUpWithinItsBoundWhenTheServerStopsWhileItWaits() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = URI.create(ZkServers.freshSpace(server.getConnectString(), "4s") + "&connectionTimeout="
                    + CONNECTION_MILLIS + "ms");
            try (LockSpace holder = LockSpace.open(ZkServers.otherClient(uri, 1));
                 LockSpace waiter = LockSpace.open(uri)) {
                Held held = holder.lock("busy").acquireForProcess(AwaitState.HANG_GUARD);
                long start = System.nanoTime();
                CompletableFuture<Throwable> waited = CompletableFuture.supplyAsync(() -> {
                    try (Held h = waiter.lock("busy").acquire(Duration.ofSeconds(3))) {
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Thread.sleep(500);
                server.stop();
                Throwable outcome = waited.get(AwaitState.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.println("[measured] acquire(3s) behind a holder, server stopped 0.5 s in: " + took + " ms ("
                        + outcome + ")");
                assertTrue(outcome instanceof SpaceUnavailableException, "ended with " + outcome);
                assertTrue(took <= 3000 + CONNECTION_MILLIS + 1000 + MARGIN_MILLIS, "took " + took + " ms");
                held.close();
            }
        }
    }

    @Test
    void shouldReleaseAtOnceWhenTheOnlyServerIsStopped() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = URI.create(ZkServers.freshSpace(server.getConnectString(), "4s") + "&connectionTimeout="
                    + CONNECTION_MILLIS + "ms");
            try (LockSpace space = LockSpace.open(uri)) {
                Held lock = space.lock("released").acquire();
                Held process = space.lock("released-process").acquireForProcess(AwaitState.HANG_GUARD);
                Held write = space.readWriteLock("released-rw").writeLock().acquire();
                Held read = space.readWriteLock("released-rw2").readLock().acquire();
                Held permit = space.semaphore("released-permits", 1).acquire();
                server.stop();
                for (Held held : List.of(lock, process, write, read, permit)) {
                    long start = System.nanoTime();
                    held.close();
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    System.out.println("[measured] release with the server stopped, " + held + ": " + took + " ms");
                    assertTrue(took <= 1000, held + ": the release took " + took + " ms");
                }
            }
        }
    }

    private static void measure(String what, long bound, Executable call) {
        long start = System.nanoTime();
        SpaceUnavailableException e = assertThrows(SpaceUnavailableException.class, call, what);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("[measured] no server, " + what + ": " + took + " ms (bound " + bound + " ms): "
                + e.getMessage());
        assertTrue(e.getMessage().contains("connectionTimeout=" + CONNECTION_MILLIS + "ms"), e.getMessage());
        assertTrue(took <= bound + MARGIN_MILLIS, what + " took " + took + " ms; its bound is " + bound + " ms");
    }
}
