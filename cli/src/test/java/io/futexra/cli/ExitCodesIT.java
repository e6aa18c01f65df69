package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.testing.AwaitState;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every exit status documented in {@code futex-ra --help} and the README, each from a real
 * {@code bin/futex-ra} process, with its one-line message. (70, an internal error, cannot be
 * provoked from outside without a bug; {@code MainTest} checks its mapping in-process.)
 */
@Timeout(180)
class ExitCodesIT {

    private static final Duration T = Duration.ofSeconds(30);

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldExit0OrWithTheCommandsOwnStatus() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            assertStatus(0, "", run(dirs.directory(), "run", "--lock", "a", "--", "true"));
            assertStatus(3, "", run(dirs.directory(), "run", "--lock", "a", "--", "sh", "-c", "exit 3"));
            assertStatus(143, "", run(dirs.directory(), "run", "--lock", "a", "--", "sh", "-c", "kill -TERM $$"));
            assertStatus(0, "", run(dirs.directory(), "--help"));
            CliProcess version = run(dirs.directory(), "--version");
            assertStatus(0, "", version);
            assertTrue(version.stdout().startsWith("futex-ra "), version.stdout());
        }
    }

    @Test
    void shouldExit64ForEveryKindOfBadCommandLine() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path d = dirs.directory();
            assertStatus(64, "missing command", run(d));
            assertStatus(64, "unknown command 'frobnicate'", run(d, "frobnicate"));
            assertStatus(64, "unknown option '--bogus'", run(d, "--bogus", "ls"));
            assertStatus(64, "unknown option '--bogus' for run", run(d, "run", "--lock", "a", "--bogus", "--", "true"));
            assertStatus(64, "run needs --lock NAME", run(d, "run", "--", "true"));
            assertStatus(64, "run needs a command", run(d, "run", "--lock", "a", "--"));
            assertStatus(64, "option --lock needs a value", run(d, "run", "--lock"));
            assertStatus(64, "invalid duration '5x' for --timeout", run(d, "run", "--lock", "a", "--timeout", "5x", "--", "true"));
            assertStatus(64, "must not be negative", run(d, "run", "--lock", "a", "--timeout=PT-1S", "--", "true"));
            assertStatus(64, "invalid space name '../etc'", run(d, "--space", "../etc", "ls"));
            assertStatus(64, "object name is empty", run(d, "run", "--lock", "", "--", "true"));
            assertStatus(64, "object name too long", run(d, "run", "--lock", "x".repeat(300), "--", "true"));
            assertStatus(64, "takes no value", run(d, "ls", "--json=yes"));
            assertStatus(64, "unexpected argument 'extra' for ls", run(d, "ls", "extra"));
        }
    }

    @Test
    void shouldExit65WhenTheSpaceFileIsNotASpace() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            byte[] junk = new byte[64 * 1024];
            Arrays.fill(junk, (byte) 'x');
            Files.write(dirs.file("default.space"), junk);
            assertStatus(65, "is not a futex-ra space", run(dirs.directory(), "run", "--lock", "a", "--", "true"));
            assertStatus(65, "is not a futex-ra space", run(dirs.directory(), "ls", "--json"));
        }
    }

    @Test
    void shouldExit69WhenFutexesCannotBeUsedOrTheToolIsNotBuilt() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            // JNA told to find its native library nowhere: the native layer cannot load
            CliProcess noNative = CliProcess.start(dirs.directory(), Map.of("FUTEX_RA_JAVA_OPTS",
                    "-Djna.boot.library.path=/nonexistent -Djna.noclasspath=true -Djna.nosys=true"),
                    "run", "--lock", "a", "--", "true");
            noNative.awaitExit(T);
            assertStatus(69, "cannot use futexes here", noNative);

            // the script copied somewhere without a build next to it
            Path bin = dirs.file("elsewhere/bin");
            Files.createDirectories(bin);
            Path script = Files.copy(CliProcess.SCRIPT, bin.resolve("futex-ra"));
            CliProcess unbuilt = CliProcess.startCommand(dirs.directory(), Map.of(), List.of(script.toString(), "ls"));
            unbuilt.awaitExit(T);
            assertStatus(69, "not built: run 'mvn -B -ntp -DskipTests package'", unbuilt);
        }
    }

    @Test
    void shouldExit73WhenTheSpaceIsFullOrCannotBeCreated() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            LockSpace.open(dirs.directory(), "tiny", SpaceOptions.defaults().withCapacity(1)).close();
            assertStatus(0, "", run(dirs.directory(), "--space", "tiny", "run", "--lock", "first", "--", "true"));
            assertStatus(73, "is full", run(dirs.directory(), "--space", "tiny", "run", "--lock", "second", "--", "true"));

            Path aFile = dirs.file("plain-file");
            Files.writeString(aFile, "not a directory");
            assertStatus(73, "Not a directory", run(aFile.resolve("sub"), "run", "--lock", "a", "--", "true"));
        }
    }

    @Test
    void shouldExit75WhenTheTimeoutPassesAndRunNothing() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "busy", "--",
                     "sh", "-c", "echo HELD; exec sleep 60")) {
            holder.awaitLine("HELD", T);
            Path marker = dirs.file("ran");
            for (String timeout : new String[] {"300ms", "0", "PT0.2S"}) {
                CliProcess late = run(dirs.directory(), "run", "--lock", "busy", "--timeout", timeout, "--",
                        "touch", marker.toString());
                assertStatus(75, "timed out after", late);
                assertTrue(late.stderr().contains("held by pid " + holder.pid()), late.transcript());
            }
            assertFalse(Files.exists(marker), "a run that timed out must not run its command");
        }
    }

    @Test
    void shouldExit77WhenThisUserMayNotUseTheSpace() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            LockSpace.open(dirs.directory(), "private").close();
            boolean root = "root".equals(System.getProperty("user.name"));
            CliProcess denied;
            if (root) {
                // root passes every permission check: ask as nobody, who is neither owner nor in the group
                Files.setPosixFilePermissions(dirs.directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
                List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups", CliProcess.SCRIPT.toString(), "--space", "private", "ls", "--json"));
                denied = CliProcess.startCommand(dirs.directory(), Map.of(), command);
            } else {
                Files.setPosixFilePermissions(dirs.directory().resolve("private.space"),
                        PosixFilePermissions.fromString("---------"));
                denied = CliProcess.start(dirs.directory(), "--space", "private", "ls", "--json");
            }
            denied.awaitExit(T);
            assertStatus(77, "permission denied on", denied);
        }
    }

    @Test
    void shouldExit126Or127WhenTheCommandCannotBeStarted() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path notExecutable = dirs.file("script.txt");
            Files.writeString(notExecutable, "echo hello\n");
            assertStatus(126, "cannot run '" + notExecutable + "'",
                    run(dirs.directory(), "run", "--lock", "a", "--", notExecutable.toString()));
            assertStatus(127, "not found on PATH", run(dirs.directory(), "run", "--lock", "a", "--", "no-such-command-x"));
            assertStatus(127, "not found", run(dirs.directory(), "run", "--lock", "a", "--", "/no/such/program"));
        }
    }

    @Test
    void shouldExit130Or143WhenStoppedWhileWaitingForALockOrAnEvent() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "busy", "--",
                     "sh", "-c", "echo HELD; exec sleep 60");
             LockSpace space = LockSpace.open(dirs.directory(), "default")) {
            holder.awaitLine("HELD", T);
            Path marker = dirs.file("ran");
            int expectedWaiters = 0;
            for (String[] signal : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
                try (CliProcess waiter = CliProcess.start(dirs.directory(), "run", "--lock", "busy", "--",
                        "touch", marker.toString())) {
                    AwaitState.waiters(space, "busy", 1);
                    waiter.signal(signal[0]);
                    waiter.awaitExit(T);
                    assertStatus(Integer.parseInt(signal[1]), "stopped while waiting for lock 'busy'", waiter);
                }
                assertEquals(expectedWaiters, AwaitState.info(space, "busy").waiters());
            }
            assertFalse(Files.exists(marker), "a run stopped while waiting must not run its command");
            assertTrue(holder.isAlive());

            for (String[] signal : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
                try (CliProcess waiter = CliProcess.start(dirs.directory(), "wait", "never", "--timeout", "60s")) {
                    AwaitState.waiters(space, "never", 1);
                    waiter.signal(signal[0]);
                    waiter.awaitExit(T);
                    assertStatus(Integer.parseInt(signal[1]), "stopped while waiting for event 'never'", waiter);
                }
            }
        }
    }

    private static CliProcess run(Path dir, String... args) throws InterruptedException {
        return CliProcess.run(dir, T, args);
    }

    /** The status, and: no message for the command's own statuses, one "futex-ra: …" line for ours. */
    private static void assertStatus(int expected, String message, CliProcess p) {
        assertEquals(expected, p.exitValue(), p.transcript());
        if (message.isEmpty()) {
            assertEquals("", p.stderr(), p.transcript());
        } else {
            List<String> lines = p.stderrLines();
            assertEquals(1, lines.size(), "one line on stderr: " + p.transcript());
            assertTrue(lines.get(0).startsWith("futex-ra: ") && lines.get(0).contains(message),
                    "expected '" + message + "': " + p.transcript());
        }
    }
}
