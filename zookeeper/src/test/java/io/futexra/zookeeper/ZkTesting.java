package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.testing.AwaitState;
import java.util.List;

/** Threads of the event and dispatcher tests' own (not a shared pool: it is unreliable on 2 CPUs). */
final class ZkTesting {

    private ZkTesting() {
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
