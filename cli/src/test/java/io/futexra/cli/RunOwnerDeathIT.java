package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.testing.AwaitState;
import io.futexra.testing.CliProcess;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of a {@code futex-ra run} holder (the JVM itself: bin/futex-ra execs it): the kernel
 * releases the lock, and the next {@code futex-ra run} acquires it with
 * {@code FUTEX_RA_PREVIOUS_OWNER_DIED=1} and says so on stderr.
 */
@Timeout(120)
class RunOwnerDeathIT {

    private static final String HOLD = "echo $$ > \"$0\"; echo HELD token=$FUTEX_RA_FENCING_TOKEN; exec sleep 60";
    private static final String REPORT = "echo ACQUIRED died=$FUTEX_RA_PREVIOUS_OWNER_DIED token=$FUTEX_RA_FENCING_TOKEN";

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldHandTheLockToAWaitingRunWithTheDiedFlagWhenTheHolderIsKilled() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "default")) {
            Path orphan = dirs.file("orphan.pid");
            try (CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "nightly", "--",
                    "sh", "-c", HOLD, orphan.toString())) {
                long token = Long.parseLong(ChildMain.field(holder.awaitLine("HELD", Duration.ofSeconds(30)), "token"));
                assertEquals(holder.pid(), AwaitState.info(space, "nightly").holderPid(), "bin/futex-ra must exec the JVM");
                assertEquals(GuardedCommand.HOLDER_THREAD, AwaitState.info(space, "nightly").holderThread());
                try (CliProcess waiter = CliProcess.start(dirs.directory(), "run", "--lock", "nightly", "--",
                        "sh", "-c", REPORT)) {
                    AwaitState.waiters(space, "nightly", 1);
                    holder.kill9();
                    String acquired = waiter.awaitLine("ACQUIRED", Duration.ofSeconds(10));
                    assertEquals("1", ChildMain.field(acquired, "died"), acquired);
                    assertEquals(Long.toString(token + 1), ChildMain.field(acquired, "token"), acquired);
                    assertEquals(0, waiter.awaitExit(Duration.ofSeconds(10)));
                    assertTrue(waiter.stderr().contains("died holding it"), waiter.transcript());
                }
            } finally {
                CliProcess.killPidFrom(orphan);
            }
            ObjectInfo after = AwaitState.info(space, "nightly");
            assertEquals(1, after.ownerDiedCount());
            assertTrue(!after.isHeld() && !after.abandoned(), after.toString());
        }
    }

    @Test
    void shouldTellTheNextRunWhenNobodyWaitedAtTheTimeOfDeathAndOnlyThatOne() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path orphan = dirs.file("orphan.pid");
            try (CliProcess holder = CliProcess.start(dirs.directory(), "run", "--lock", "nightly", "--",
                    "sh", "-c", HOLD, orphan.toString())) {
                holder.awaitLine("HELD", Duration.ofSeconds(30));
                holder.kill9();
            } finally {
                CliProcess.killPidFrom(orphan);
            }
            CliProcess next = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "run", "--lock", "nightly",
                    "--timeout", "5s", "--", "sh", "-c", REPORT);
            assertEquals(0, next.exitValue(), next.transcript());
            assertTrue(next.stdout().startsWith("ACQUIRED died=1 token="), next.transcript());
            long second = Long.parseLong(ChildMain.field(next.stdout().strip(), "token"));
            assertTrue(next.stderr().contains("previous holder of lock 'nightly' in space 'default' died"),
                    next.transcript());
            CliProcess again = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "run", "--lock", "nightly",
                    "--", "sh", "-c", REPORT);
            assertEquals("ACQUIRED died=0 token=" + (second + 1), again.stdout(), again.transcript());
            assertEquals("", again.stderr());
        }
    }

    @Test
    void shouldTellTheNextHolderOfAPermitOrAWriteLockWhoseHolderWasKilled() throws Exception {
        String[][] kinds = {{"sem", "permit", "--permits", "1", "run"}, {"run", "--lock", "catalog", "--write"}};
        for (String[] kind : kinds) {
            try (TestSpaces dirs = new TestSpaces()) {
                Path orphan = dirs.file("orphan.pid");
                try (CliProcess holder = CliProcess.start(dirs.directory(), with(kind, "--", "sh", "-c", HOLD,
                        orphan.toString()))) {
                    holder.awaitLine("HELD", Duration.ofSeconds(30));
                    holder.kill9();
                } finally {
                    CliProcess.killPidFrom(orphan);
                }
                CliProcess next = CliProcess.run(dirs.directory(), Duration.ofSeconds(30),
                        with(kind, "--timeout", "5s", "--", "sh", "-c", REPORT));
                assertEquals(0, next.exitValue(), next.transcript());
                assertTrue(next.stdout().startsWith("ACQUIRED died=1 "), next.transcript());
                assertTrue(next.stderr().contains("died holding it"), next.transcript());
            }
        }
    }

    private static String[] with(String[] prefix, String... rest) {
        String[] all = java.util.Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }

}
