package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --space-uri} and {@code FUTEX_RA_SPACE_URI}: a shared-memory space named by its URI works
 * exactly like the same space named by {@code --dir}/{@code --space} — the same commands give the
 * same exit statuses and the same output, on the same file — and a URI that cannot be used is a
 * usage error (64) that says why.
 */
class SpaceUriIT {

    private static final Duration GUARD = Duration.ofSeconds(60);

    /** Commands run in order against a fresh space, each giving its status and output. */
    private static final List<List<String>> SCRIPT = List.of(
            List.of("ls"),
            List.of("run", "--lock", "nightly", "--", "sh", "-c", "echo token=$FUTEX_RA_FENCING_TOKEN; exit 3"),
            List.of("run", "--lock", "nightly", "--", "sh", "-c", "echo token=$FUTEX_RA_FENCING_TOKEN"),
            List.of("sem", "pool", "--permits", "2", "run", "--", "true"),
            List.of("signal", "done"),
            List.of("wait", "done", "--timeout", "0"),
            List.of("reset", "done"),
            List.of("wait", "done", "--timeout", "0"),
            List.of("ls", "--json"),
            List.of("check"),
            List.of("rm"),
            List.of("rm"),
            List.of("check"));

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldRunEveryCommandOnAUriExactlyAsOnTheDirectoryAndName() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Files.createDirectories(dirs.directory());
            String byName = dirs.directory().resolve("by-name").toString();
            String byUri = dirs.directory().resolve("by-uri").toString();
            for (List<String> command : SCRIPT) {
                List<String> named = new ArrayList<>(List.of("--space", "by-name"));
                named.addAll(command);
                List<String> uri = new ArrayList<>(List.of("--space-uri", "shm:" + byUri));
                uri.addAll(command);
                CliProcess a = CliProcess.run(dirs.directory(), GUARD, named.toArray(String[]::new));
                CliProcess b = CliProcess.run(dirs.directory(), GUARD, uri.toArray(String[]::new));
                String what = command + ":\n" + a.transcript() + "\n---\n" + b.transcript();
                assertEquals(a.exitValue(), b.exitValue(), what);
                assertEquals(tokensHidden(a.stdout().replace(byName, byUri).replace("by-name", "by-uri")),
                        tokensHidden(b.stdout()), what);
                assertEquals(a.stderr().replace("by-name", "by-uri").replace(" in " + dirs.directory() + ":",
                        " at shm:" + byUri + ":").replace("see --dir and --space", "see --space-uri"), b.stderr(), what);
            }
        }
    }

    /**
     * {@code out} with each fencing token (19 digits: it starts at the object's creation time in
     * nanoseconds, which differs between the two spaces) replaced by {@code TOKEN}.
     */
    private static String tokensHidden(String out) {
        return out.replaceAll("\\b\\d{19}\\b", "TOKEN");
    }

    @Test
    void shouldTakeTheUriFromTheEnvironmentUnlessTheCommandLineNamesTheSpace() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            String uri = "shm:" + dirs.directory().resolve("env");
            CliProcess fromEnv = CliProcess.start(dirs.directory(), Map.of("FUTEX_RA_DIR", "", "FUTEX_RA_SPACE_URI", uri),
                    "run", "--lock", "l", "--", "true");
            assertEquals(0, fromEnv.awaitExit(GUARD), fromEnv.transcript());
            assertTrue(Files.exists(dirs.directory().resolve("env.space")), fromEnv.transcript());

            CliProcess both = CliProcess.start(dirs.directory(), Map.of("FUTEX_RA_SPACE_URI", uri), "ls");
            assertEquals(ExitCodes.USAGE, both.awaitExit(GUARD), both.transcript());
            assertTrue(both.stderr().contains("FUTEX_RA_SPACE_URI and FUTEX_RA_DIR/FUTEX_RA_SPACE are both set"),
                    both.transcript());

            CliProcess overridden = CliProcess.start(dirs.directory(), Map.of("FUTEX_RA_SPACE_URI", uri),
                    "--space", "cli", "run", "--lock", "l", "--", "true");
            assertEquals(0, overridden.awaitExit(GUARD), overridden.transcript());
            assertTrue(Files.exists(dirs.directory().resolve("cli.space")), "the command line's --space wins");
        }
    }

    @Test
    void shouldRefuseAUriThatCannotBeUsedAsAUsageError() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            String[][] cases = {
                {"nosuch://h:1/futex-ra/x", "no futex-ra backend for nosuch"},
                {"/dev/shm/futex-ra/x", "has no scheme"},
                {"shm://host/x", "is not a shared-memory space URI"},
                {"zookeeper://a b", "invalid space URI"}};
            for (String[] c : cases) {
                CliProcess bad = CliProcess.run(dirs.directory(), GUARD, "--space-uri", c[0], "run", "--lock", "l",
                        "--", "true");
                assertEquals(ExitCodes.USAGE, bad.exitValue(), bad.transcript());
                assertTrue(bad.stderr().contains(c[1]), bad.transcript());
            }
            CliProcess both = CliProcess.run(dirs.directory(), GUARD, "--space", "s", "--space-uri", "shm:s", "ls");
            assertEquals(ExitCodes.USAGE, both.exitValue(), both.transcript());
            assertTrue(both.stderr().contains("without --dir and --space"), both.transcript());
            try (var left = Files.list(dirs.directory())) {
                assertFalse(left.anyMatch(p -> p.toString().endsWith(".space")), "nothing created");
            } catch (java.nio.file.NoSuchFileException none) {
                // nothing created, not even the directory
            }
        }
    }
}
