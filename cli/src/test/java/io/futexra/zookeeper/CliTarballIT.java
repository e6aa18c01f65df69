package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged form, {@code cli/target/futex-ra-VERSION-cli.tar.gz}, unpacked where no
 * repository is around: it runs a command on a shared-memory space, and on a real (loopback)
 * ZooKeeper server with the backend it carries in {@code lib/backends}, with nothing from SLF4J on
 * stderr; a server that does not answer is reported in futex-ra's words (exit 69).
 */
@Timeout(240)
class CliTarballIT {

    private static final Duration GUARD = Duration.ofSeconds(90);
    private static final int UNAVAILABLE = 69;

    @Test
    void shouldRunFromTheUnpackedTarballOnBothBackendsQuietly() throws Exception {
        Path target = CliProcess.ROOT.resolve("cli/target");
        Path tarball;
        try (Stream<Path> files = Files.list(target)) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith("-cli.tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no *-cli.tar.gz in " + target));
        }
        try (TestSpaces dirs = new TestSpaces(); TestingServer server = ZkServers.server()) {
            Path install = dirs.file("opt");
            Files.createDirectories(install);
            Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", install.toString())
                    .inheritIO().start();
            assertEquals(0, tar.waitFor());
            Path script;
            try (Stream<Path> unpacked = Files.list(install)) {
                script = unpacked.findFirst().orElseThrow().resolve("bin/futex-ra");
            }
            Map<String, String> env = Map.of("HOME", dirs.file("home").toString());

            CliProcess shm = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(), "run",
                    "--lock", "packaged", "--", "sh", "-c", "echo token=$FUTEX_RA_FENCING_TOKEN"));
            assertEquals(0, shm.awaitExit(GUARD), shm.transcript());
            // a fencing token, starting at the lock's creation time (docs/threat-model.md, fencing tokens)
            assertTrue(shm.stdout().matches("token=[1-9][0-9]*"), shm.transcript());

            CliProcess version = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(), "--version"));
            assertEquals(0, version.awaitExit(GUARD), version.transcript());
            assertTrue(version.stdout().matches("futex-ra \\d+\\.\\d+\\.\\d+.*"), version.stdout());

            String uri = "zookeeper://" + server.getConnectString() + "/futex-ra/tarball-" + UUID.randomUUID()
                    + "?sessionTimeout=4s"; // what the test server grants (20 ticks): no warning
            CliProcess zkRun = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(),
                    "--space-uri", uri, "run", "--lock", "packaged", "--", "echo", "ran"));
            assertEquals(0, zkRun.awaitExit(GUARD), zkRun.transcript());
            assertEquals("ran", zkRun.stdout(), zkRun.transcript());
            assertEquals("", zkRun.stderr(), "nothing on stderr (no SLF4J warnings): " + zkRun.transcript());

            CliProcess ls = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(),
                    "--space-uri", uri, "ls"));
            assertEquals(0, ls.awaitExit(GUARD), ls.transcript());
            assertTrue(ls.stdout().contains("packaged"), ls.transcript());
            assertEquals("", ls.stderr(), "nothing on stderr (no SLF4J warnings): " + ls.transcript());

            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            CliProcess dead = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(),
                    "--space-uri", "zookeeper://127.0.0.1:" + closedPort + "/futex-ra/x?connectionTimeout=1s", "ls"));
            assertEquals(UNAVAILABLE, dead.awaitExit(GUARD), dead.transcript());
            assertTrue(dead.stderr().startsWith("futex-ra: could not connect to ZooKeeper at 127.0.0.1:" + closedPort),
                    dead.transcript());
            assertFalse(dead.stderr().contains("SLF4J"), dead.transcript());
        }
    }
}
