package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedSemaphore;
import io.futexra.SpaceUnavailableException;
import io.futexra.testing.AwaitState;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process's shared ZooKeeper client, against real servers: its connect shared by openers who
 * come at once (each gets a connected client, or all get the same failure and nothing stays
 * cached), and its uses counted so that a wait never runs on a client closed under it.
 */
@Timeout(180)
class ZkClientLifecycleTest {

    private static final int OPENERS = 8;
    private static final long GUARD_SECONDS = AwaitState.HANG_GUARD.toSeconds();

    @Test
    void shouldGiveEveryOpenerAtOnceAConnectedClientWhenTheServerComesUpWhileTheyWait() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // a new connect string (nobody has a client for it yet), whose server is not up yet
        URI uri = ZkServers.freshSpace("127.0.0.1:" + port, "4s&connectionTimeout=" + GUARD_SECONDS + "s");
        try (TestingServer server = new TestingServer(port, false)) {
            Thread starter = new Thread(() -> {
                try {
                    AwaitState.until("the openers' client made", () -> ZkClient.cached(ZkAddress.of(uri)));
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "server-starter");
            starter.start();
            List<Outcome> outcomes = openAtOnce(uri, space -> {
                boolean connected = ZkServers.handle(space).shared().connected();
                Optional<Held> held = space.lock("first").tryAcquire();
                held.ifPresent(Held::close);
                return connected ? "connected" : "returned before the client connected";
            });
            starter.join();
            for (Outcome o : outcomes) {
                assertNull(o.failure, () -> "an opener failed: " + o.failure);
                assertEquals("connected", o.result);
            }
            assertFalse(ZkClient.cached(ZkAddress.of(uri)), "every space closed: the client is closed and forgotten");
        }
    }

    @Test
    void shouldFailEveryOpenerOfADeadAddressAlikeAndKeepNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI uri = URI.create("zookeeper://127.0.0.1:" + closedPort + "/futex-ra-test/dead?connectionTimeout=1s");
        List<Outcome> outcomes = openAtOnce(uri, space -> "opened");
        String first = null;
        for (Outcome o : outcomes) {
            assertTrue(o.failure instanceof SpaceUnavailableException, () -> "want SpaceUnavailableException, got "
                    + (o.failure == null ? "a space" : o.failure.toString()));
            assertTrue(o.failure.getMessage().contains("could not connect to ZooKeeper at 127.0.0.1:" + closedPort)
                    && o.failure.getMessage().contains("connectionTimeout"), o.failure.getMessage());
            first = first == null ? o.failure.getMessage() : first;
            assertEquals(first, o.failure.getMessage(), "every opener is told the same");
        }
        assertFalse(ZkClient.cached(ZkAddress.of(uri)), "a failed connect leaves no client behind");
    }

    @Test
    void shouldKeepTheClientForAWaitingSemaphoreAcquireAndGiveItBackAfterATimeoutOrARelease() throws Exception {
        URI uri = ZkServers.freshSpace(ZkServers.shared().getConnectString(), "2347ms"); // a client key of its own
        LockSpace space = LockSpace.open(uri);
        NamedSemaphore gate = space.semaphore("gate", 1);
        String leases = ZkServers.handle(space).objectPath("gate") + "/semaphore/leases";
        Held first = gate.acquire(Duration.ofSeconds(30));
        AtomicReference<Throwable> timedOut = new AtomicReference<>();
        Thread late = new Thread(() -> timedOut.set(assertThrows(LockTimeoutException.class,
                () -> gate.acquire(Duration.ofMillis(300)))), "semaphore-timeout");
        late.start();
        late.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        assertNotNull(timedOut.get(), "the timed acquire must time out (its use of the client given back)");

        AtomicReference<Boolean> heldByWaiter = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try (Held second = gate.acquire(Duration.ofSeconds(GUARD_SECONDS))) {
                heldByWaiter.set(second.isHeld());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "semaphore-waiter");
        waiter.start();
        // the waiter's lease node is there: it waits inside Curator for the permit
        AwaitState.until("two leases (holder and waiter)", () -> leaseCount(space, leases) == 2);
        space.close();  // the last space handle: the holds (and the waiter) still use the client
        first.close();  // the permit passes to the waiter
        waiter.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        assertFalse(waiter.isAlive(), "the waiter must get the permit once the holder closes");
        assertNull(failure.get(), () -> "the waiter failed: " + failure.get());
        assertEquals(Boolean.TRUE, heldByWaiter.get(), "the waiter's permit is held on a live client");
        assertFalse(ZkClient.cached(ZkAddress.of(uri)), "every use given back (the timed-out one's too): the client is"
                + " closed");
    }

    private static int leaseCount(LockSpace space, String leases) {
        try {
            return ZkServers.handle(space).client().getChildren().forPath(leases).size();
        } catch (Exception e) {
            return -1; // not made yet
        }
    }

    /** What one opener got: {@code result} of its check, or its failure. */
    private record Outcome(String result, Throwable failure) {
    }

    private interface Check {
        String on(LockSpace space) throws Exception;
    }

    /** {@value #OPENERS} threads open {@code uri} at once (a start barrier), check the space, close it. */
    private static List<Outcome> openAtOnce(URI uri, Check check) throws Exception {
        CyclicBarrier start = new CyclicBarrier(OPENERS);
        List<AtomicReference<Outcome>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < OPENERS; i++) {
            AtomicReference<Outcome> result = new AtomicReference<>();
            results.add(result);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    try (LockSpace space = LockSpace.open(uri)) {
                        result.set(new Outcome(check.on(space), null));
                    }
                } catch (Throwable e) {
                    result.set(new Outcome(null, e));
                }
            }, "opener-" + i);
            threads.add(t);
            t.start();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < OPENERS; i++) {
            threads.get(i).join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
            assertFalse(threads.get(i).isAlive(), "opener " + i + " hung");
            outcomes.add(results.get(i).get());
        }
        return outcomes;
    }
}
