package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.testing.AwaitState;
import java.net.URI;
import java.util.List;
import org.apache.curator.test.TestingServer;

/** What the event and dispatcher tests share: space URIs on a test server, threads of their own. */
final class ZkTesting {

    private ZkTesting() {
    }

    /** The space {@code space} on {@code server}; sessions with different timeouts are different clients. */
    static URI uri(TestingServer server, String space, String sessionTimeout) {
        return URI.create("zookeeper://" + server.getConnectString() + "/futex-ra-test/" + space + "?sessionTimeout="
                + sessionTimeout);
    }

    /** Runs {@code body} on a daemon thread of its own (not a shared pool: see common notes on 2 CPUs). */
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
