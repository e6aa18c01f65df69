package io.futexra.zookeeper;

import io.futexra.LockSpace;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * Real ZooKeeper servers for tests, on loopback, with a 200 ms tick so that sessions may be as
 * short as 400 ms (the server allows 2 to 20 ticks): owner-death tests then wait about a second,
 * not the default ten.
 */
final class ZkServers {

    static final int TICK_MILLIS = 200;
    private static final AtomicInteger SPACES = new AtomicInteger();
    private static TestingServer shared;

    private ZkServers() {
    }

    static TestingServer server() throws Exception {
        return new TestingServer(spec(), true);
    }

    /** One server for every contract test of this JVM, started on first use, stopped when the JVM exits. */
    static synchronized TestingServer shared() {
        if (shared == null) {
            try {
                TestingServer server = server();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (java.io.IOException ignored) {
                        // the JVM is exiting; the server's directory is temporary
                    }
                }, "zookeeper-test-server-stop"));
                shared = server;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start a ZooKeeper test server", e);
            }
        }
        return shared;
    }

    static TestingCluster cluster(int size) {
        InstanceSpec[] specs = new InstanceSpec[size];
        for (int i = 0; i < size; i++) {
            specs[i] = spec();
        }
        return new TestingCluster(specs);
    }

    private static InstanceSpec spec() {
        return new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1);
    }

    /** A space URI on {@code connectString} with a fresh space name, and the given session timeout. */
    static URI freshSpace(String connectString, String sessionTimeout) {
        return URI.create("zookeeper://" + connectString + "/futex-ra-test/s" + ProcessHandle.current().pid() + "-"
                + SPACES.incrementAndGet() + "?sessionTimeout=" + sessionTimeout);
    }

    /**
     * The same space through another client of this process (another session): session timeouts
     * that differ by a millisecond make a different client key.
     */
    static URI otherClient(URI space, int which) {
        String s = space.toString();
        return URI.create(s.substring(0, s.indexOf('?')) + "?sessionTimeout=" + (2000 + which) + "ms");
    }

    static ZkSpace handle(LockSpace space) {
        return ((ZkLockSpace) space).space();
    }
}
