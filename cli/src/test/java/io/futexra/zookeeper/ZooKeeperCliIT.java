package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/futex-ra} from the build on a real (loopback) ZooKeeper server: the build puts this
 * backend's jars in {@code cli/target/lib/backends}, where the script finds them. Two
 * {@code run}s of one lock exclude each other (the second times out with 75 while the first holds,
 * and one that waits gets the lock after the release, with a larger fencing token); {@code ls} lists
 * the lock, with nothing on stderr (slf4j-nop in {@code lib/backends} keeps SLF4J quiet); an
 * unreachable server exits 69 with futex-ra's message.
 */
class ZooKeeperCliIT {

    private static final Duration GUARD = Duration.ofSeconds(120);
    private static final int TIMEOUT = 75;
    private static final int UNAVAILABLE = 69;

    private static TestingServer server;
    private static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        server = ZkServers.server();
        scratch = Files.createTempDirectory("futex-ra-zk-cli");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Files.deleteIfExists(scratch.resolve("release"));
        Files.delete(scratch);
    }

    @Test
    void shouldRunOneHolderAtATimeAndListTheLock() throws Exception {
        String uri = "zookeeper://" + server.getConnectString() + "/futex-ra/cli-" + UUID.randomUUID()
                + "?sessionTimeout=4s"; // what the test server grants (20 ticks): no warning on stderr
        Path release = scratch.resolve("release");
        try (CliProcess holder = CliProcess.start(scratch, "--space-uri", uri, "run", "--lock", "nightly", "--",
                "sh", "-c", "echo HOLDING $FUTEX_RA_FENCING_TOKEN; while [ ! -e " + release + " ]; do sleep 0.1; done")) {
            long first = Long.parseLong(holder.awaitLine("HOLDING", GUARD).split(" ")[1]);
            try (CliProcess waiter = start(uri)) {
                CliProcess refused = CliProcess.run(scratch, GUARD, "--space-uri", uri,
                        "run", "--lock", "nightly", "--timeout", "1s", "--", "echo", "MUST-NOT-RUN");
                assertEquals(TIMEOUT, refused.exitValue(), refused.transcript());
                assertTrue(!refused.stdout().contains("MUST-NOT-RUN"), refused.transcript());

                CliProcess ls = CliProcess.run(scratch, GUARD, "--space-uri", uri, "ls");
                assertEquals(0, ls.exitValue(), ls.transcript());
                assertTrue(ls.stdout().contains("nightly"), ls.transcript());
                assertEquals("", ls.stderr(), "nothing on stderr (no SLF4J warnings): " + ls.transcript());

                assertTrue(waiter.isAlive(), "the waiting run must still wait while the lock is held: " + waiter.transcript());
                Files.createFile(release);
                assertEquals(0, holder.awaitExit(GUARD), holder.transcript());
                assertEquals(0, waiter.awaitExit(GUARD), waiter.transcript());
                long second = Long.parseLong(waiter.awaitLine("SECOND", GUARD).split(" ")[1]);
                assertTrue(second > first, "the second holder's token " + second + " > the first's " + first);
            }
        }
    }

    @Test
    void shouldExitUnavailableWhenNoServerAnswers() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliProcess ls = CliProcess.run(scratch, GUARD, "--space-uri",
                "zookeeper://127.0.0.1:" + closedPort + "/futex-ra/cli?connectionTimeout=2s", "ls");
        assertEquals(UNAVAILABLE, ls.exitValue(), ls.transcript());
        assertTrue(ls.stderr().startsWith("futex-ra: could not connect to ZooKeeper at 127.0.0.1:" + closedPort)
                && !ls.stderr().contains("SLF4J"), "futex-ra's message, and nothing from SLF4J: " + ls.transcript());
    }

    /** A run of the same lock with no timeout, which waits behind the holder and prints its token. */
    private static CliProcess start(String uri) {
        return CliProcess.start(scratch, "--space-uri", uri, "run", "--lock", "nightly", "--",
                "sh", "-c", "echo SECOND $FUTEX_RA_FENCING_TOKEN");
    }
}
