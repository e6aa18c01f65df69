package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the event, dispatcher and owner-death tests share: the module's real test server
 * ({@link ZkServers#shared}), and per test a fresh space opened through two clients of this
 * process ({@link ZkServers#otherClient}): two ZooKeeper sessions, as two hosts would have. Their
 * threads are their own (a shared pool is unreliable on 2 CPUs).
 */
abstract class ZkTwoClients {

    static TestingServer server;
    URI uri;
    LockSpace one;
    LockSpace other;

    @BeforeAll
    static void useSharedServer() {
        server = ZkServers.shared();
    }

    @BeforeEach
    void openSpaces() {
        uri = ZkServers.freshSpace(server.getConnectString(), "10s");
        one = LockSpace.open(uri);
        other = LockSpace.open(ZkServers.otherClient(uri, 1));
    }

    @AfterEach
    void closeSpaces() {
        one.close();
        other.close();
    }

    /** Dispatchers' leaders on threads of their own ({@link #start}). */
    static final Dispatcher.Promoter OWN_THREADS = ZkTwoClients::start;

    /**
     * Returns once the dispatcher's leader has looked at its owner-death watches after this call:
     * it looks at them in every round, and delivers this barrier event in a later one.
     */
    static void barrier(LockSpace space, Dispatcher dispatcher) throws Exception {
        List<Long> delivered = new CopyOnWriteArrayList<>();
        try (AutoCloseable b = dispatcher.subscribe(space.event("barrier", EventMode.AUTO_RESET),
                n -> delivered.add(n.delivery()))) {
            space.event("barrier", EventMode.AUTO_RESET).signal();
            AwaitState.until("the barrier delivered", () -> !delivered.isEmpty());
        }
    }

    /** Runs {@code body} on a daemon thread of its own. */
    static Thread start(Runnable body) {
        Thread t = new Thread(body, "zk-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Joins every thread within the hang guard, failing on one still running. */
    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(t.isAlive(), t + " still running after the hang guard");
        }
    }
}
