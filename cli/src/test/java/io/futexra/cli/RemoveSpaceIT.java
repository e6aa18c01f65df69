package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code futex-ra rm} removes a space only while no process has it open, from a real process. */
@Timeout(120)
class RemoveSpaceIT {

    private static final Duration T = Duration.ofSeconds(30);

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldRefuseWhileAProcessHasTheSpaceOpenAndRemoveItOnceClosed() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path file = dirs.directory().resolve("payroll.space");
            try (LockSpace space = LockSpace.open(dirs.directory(), "payroll")) {
                space.lock("nightly").acquire().close();
                CliProcess refused = CliProcess.run(dirs.directory(), T, "--space", "payroll", "rm");
                assertEquals(75, refused.exitValue(), refused.transcript());
                assertTrue(refused.stderr().startsWith("futex-ra: space 'payroll' (" + file + ") is in use"),
                        refused.transcript());
                assertTrue(Files.exists(file), "nothing removed while in use");
                assertEquals(1, space.lock("nightly").tryAcquire().map(h -> {
                    h.close();
                    return 1;
                }).orElse(0), "the space still works for its users");
            }
            CliProcess removed = CliProcess.run(dirs.directory(), T, "--space", "payroll", "rm");
            assertEquals(0, removed.exitValue(), removed.transcript());
            assertEquals("", removed.stderr(), removed.transcript());
            assertFalse(Files.exists(file), "removed once nobody had it open");

            CliProcess again = CliProcess.run(dirs.directory(), T, "--space", "payroll", "rm");
            assertEquals(0, again.exitValue(), "removing a space that is gone is not an error: " + again.transcript());
            assertTrue(again.stderr().contains("does not exist"), again.transcript());
            try (LockSpace fresh = LockSpace.open(dirs.directory(), "payroll")) {
                assertTrue(fresh.objects().isEmpty(), "the next opener gets a new, empty space");
            }
        }
    }

    @Test
    void shouldRefuseASecondRunWhileTheHolderOfARemovedSpaceStillRuns() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path gate = dirs.file("gate");
            try (CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "x", "--",
                    "sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", gate.toString())) {
                awaitHeld(dirs.directory(), "x");
                Files.delete(dirs.directory().resolve("default.space")); // rm, a cleaner, or RemoveIPC
                CliProcess second = CliProcess.run(dirs.directory(), T, "run", "--lock", "x", "--timeout", "1s", "--",
                        "true");
                assertEquals(75, second.exitValue(), "never a second holder of x: " + second.transcript());
                assertTrue(second.stderr().contains("was removed while processes still use it"), second.transcript());
                assertFalse(Files.exists(dirs.directory().resolve("default.space")), "no second space was made");
                Files.createFile(gate);
                holder.awaitExit(T);
            }
            CliProcess after = CliProcess.run(dirs.directory(), T, "run", "--lock", "x", "--timeout", "1s", "--",
                    "true");
            assertEquals(0, after.exitValue(), "once the old space's holder is gone: " + after.transcript());
        }
    }

    @Test
    void shouldRefuseWhileAFutexRaRunHoldsALockInIt() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path gate = dirs.file("gate");
            try (CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "batch", "--",
                    "sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", gate.toString())) {
                awaitHeld(dirs.directory(), "batch");
                CliProcess refused = CliProcess.run(dirs.directory(), T, "rm");
                assertEquals(75, refused.exitValue(), refused.transcript());
                assertTrue(Files.exists(dirs.directory().resolve("default.space")));
                Files.createFile(gate);
                assertEquals(0, holder.awaitExit(T), holder.transcript());
            }
            CliProcess removed = CliProcess.run(dirs.directory(), T, "rm");
            assertEquals(0, removed.exitValue(), removed.transcript());
            assertFalse(Files.exists(dirs.directory().resolve("default.space")));
        }
    }

    @Test
    void shouldTakeNoArguments() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            CliProcess extra = CliProcess.run(dirs.directory(), T, "rm", "payroll");
            assertEquals(64, extra.exitValue(), extra.transcript());
            assertTrue(extra.stderr().startsWith("futex-ra: "), extra.transcript());
        }
    }

    /** Waits (AwaitState's hang guard) until {@code lock} is held, looked at with the CLI's own {@code ls}. */
    private static void awaitHeld(Path dir, String lock) throws InterruptedException {
        String[] last = {"no ls yet"};
        AwaitState.until(() -> lock + " held, as 'futex-ra ls' shows (last: " + last[0] + ")", () -> {
            try {
                CliProcess ls = CliProcess.run(dir, T, "ls", "--jsonl");
                last[0] = ls.transcript();
                return ls.stdout().lines().anyMatch(l -> l.contains("\"name\":\"" + lock + "\"") && l.contains("\"held\":true"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + lock, e);
            }
        });
    }
}
