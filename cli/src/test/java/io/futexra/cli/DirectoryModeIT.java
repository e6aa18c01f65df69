package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The directories the command line creates for a space directory that does not exist: under
 * {@code umask 000}, every missing directory (the space directory and its missing parents) is
 * {@code rwxrwx---}, never world-writable without the sticky bit; below a setgid directory each
 * keeps the setgid bit it inherits.
 */
@Timeout(120)
class DirectoryModeIT {

    private static final Duration GUARD = Duration.ofSeconds(60);

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    private static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static void runUnderUmask000(Path dir) throws Exception {
        CliProcess run = CliProcess.startCommand(dir, Map.of(), List.of("sh", "-c", "umask 000; exec "
                + CliProcess.SCRIPT + " --dir " + dir + " --space made run --lock l -- true"));
        run.awaitExit(GUARD);
        assertEquals(0, run.exitValue(), run.transcript());
    }

    @Test
    void shouldCreateMissingParentDirectoriesRwxrwxNothingUnderUmask000() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path top = Files.createDirectories(dirs.directory());
            Path dir = top.resolve("a/b/spaces");
            runUnderUmask000(dir);
            for (Path p : List.of(top.resolve("a"), top.resolve("a/b"), dir)) {
                assertEquals(0770, mode(p), p + " is " + Integer.toOctalString(mode(p)));
            }
        }
    }

    @Test
    void shouldKeepTheSetgidBitThatNewDirectoriesInherit() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path top = Files.createDirectories(dirs.directory());
            Files.setAttribute(top, "unix:mode", 02770);
            Path dir = top.resolve("team/spaces");
            runUnderUmask000(dir);
            for (Path p : List.of(top.resolve("team"), dir)) {
                assertEquals(02770, mode(p), p + " is " + Integer.toOctalString(mode(p)));
            }
        }
    }
}
