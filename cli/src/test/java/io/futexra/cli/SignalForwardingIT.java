package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM and SIGINT to {@code futex-ra run} reach the command as SIGTERM; futex-ra waits for it,
 * releases the lock normally (the next holder is not told of a death) and exits with its status.
 */
@Timeout(120)
class SignalForwardingIT {

    /** Traps TERM, reports it, exits 7; sleeps in the background so that the trap runs at once. */
    private static final String TRAPPING = "trap 'echo CMD-GOT-TERM; kill $!; exit 7' TERM; echo READY; sleep 60 & wait";
    private static final String NEXT = "echo NEXT died=$FUTEX_RA_PREVIOUS_OWNER_DIED";

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldPassTermToTheCommandAndExitWithItsStatus() throws Exception {
        assertForwarded("TERM");
    }

    @Test
    void shouldPassIntToTheCommandAsTerm() throws Exception {
        assertForwarded("INT");
    }

    @Test
    void shouldExitWith143WhenTheCommandDiesOfTheForwardedTerm() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             CliProcess run = CliProcess.start(dirs.directory(), "run", "--lock", "job", "--",
                     "sh", "-c", "echo READY; exec sleep 60")) {
            run.awaitLine("READY", Duration.ofSeconds(30));
            run.signal("TERM");
            assertEquals(143, run.awaitExit(Duration.ofSeconds(30)), run.transcript());
        }
    }

    private static void assertForwarded(String signal) throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             CliProcess run = CliProcess.start(dirs.directory(), "run", "--lock", "job", "--", "sh", "-c", TRAPPING)) {
            run.awaitLine("READY", Duration.ofSeconds(30));
            run.signal(signal);
            run.awaitLine("CMD-GOT-TERM", Duration.ofSeconds(10));
            assertEquals(7, run.awaitExit(Duration.ofSeconds(30)), run.transcript());
            assertTrue(run.stderr().contains("sent SIGTERM to the command"), run.transcript());

            CliProcess next = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "run", "--lock", "job",
                    "--timeout", "0", "--", "sh", "-c", NEXT);
            assertEquals(0, next.exitValue(), "the lock must be free at once: " + next.transcript());
            assertEquals("NEXT died=0", next.stdout(), "released normally, not abandoned: " + next.transcript());
        }
    }
}
