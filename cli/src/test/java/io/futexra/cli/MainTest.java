package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's parsing and exit-status mapping, in-process. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> env, String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReportAnUnexpectedFailureAsAnInternalErrorWith70() {
        // a null environment is nothing a real start can produce: it stands for any bug
        assertEquals(70, execute(null, "ls"));
        assertTrue(err().startsWith("futex-ra: internal error, please report: java.lang.NullPointerException"), err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void shouldDocumentEveryExitStatusInTheHelp() {
        assertEquals(0, execute(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (int status : new int[] {ExitCodes.USAGE, ExitCodes.DATA_ERROR, ExitCodes.UNAVAILABLE,
            ExitCodes.SOFTWARE, ExitCodes.CANT_CREATE, ExitCodes.TIMEOUT, ExitCodes.NO_PERMISSION,
            GuardedCommand.NOT_EXECUTABLE, GuardedCommand.NOT_FOUND, ExitCodes.INTERRUPTED_BY_INT,
            ExitCodes.TERMINATED_BY_TERM}) {
            assertTrue(help.contains("\n  " + status + "  "), "status " + status + " is not documented");
        }
    }

    @Test
    void shouldTakeTheSpaceFromTheEnvironmentUnlessGivenOnTheCommandLine() {
        assertEquals(64, execute(Map.of("FUTEX_RA_SPACE", "bad/name"), "ls"));
        assertTrue(err().contains("invalid space name 'bad/name'"), err());
        err.reset();
        assertEquals(64, execute(Map.of("FUTEX_RA_SPACE", "fine"), "--space", "also/bad", "ls"));
        assertTrue(err().contains("'also/bad'"), err());
    }

    @Test
    void shouldRefuseADirectoryThatIsNoPath() {
        assertEquals(64, execute(Map.of(), "--dir", "a\0b", "ls"));
        assertTrue(err().contains("invalid directory"), err());
    }
}
