package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.futexra.core.LockSpaceLayout;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The space file changed under a live mapping: a cooperating remove or truncate is refused while
 * the space is mapped; a replaced or removed name makes its mappers lose the space, told, and gives
 * new openers a clear error; a truncate that ignores the lock leaves the process alive and every
 * caller told.
 */
@Timeout(120)
class LiveMappingTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldRefuseACooperatingTruncateOrRemoveWhileAnyProcessMapsTheSpace() throws Exception {
        try (ChildJvm user = ChildJvm.start("hold", dirs.directory().toString(), "busy", "job")) {
            user.awaitLine("HELD", Duration.ofSeconds(30));
            Path file = dirs.directory().resolve("busy.space");
            Process truncate = new ProcessBuilder("flock", "-n", "-x", file.toString(), "truncate", "-s", "0",
                    file.toString()).inheritIO().start();
            assertTrue(truncate.waitFor(10, TimeUnit.SECONDS));
            assertEquals(1, truncate.exitValue(), "flock -n -x must be refused while a process maps the space");
            FutexRaException inUse = assertThrows(FutexRaException.class, () -> LockSpace.remove(dirs.directory(), "busy"));
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
            assertEquals(LockSpaceLayout.fileLength(SpaceOptions.DEFAULT_CAPACITY), Files.size(file), "undamaged");
            user.kill9(); // its mapping, and its lock, die with it
            assertTrue(LockSpace.remove(dirs.directory(), "busy"));
            assertFalse(Files.exists(file));
            assertFalse(LockSpace.remove(dirs.directory(), "busy"), "nothing left to remove");
        }
    }

    @Test
    void shouldKeepMappersSafeWhenTheNameIsReplacedAndTellNewOpenersClearly() throws Exception {
        try (ChildJvm child = ChildJvm.start("damaged", dirs.directory().toString(), "swapped", "replace")) {
            child.awaitLine("DONE", Duration.ofSeconds(60));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(10)), child.transcript());
            // each use works on the old mapping until the once-a-second check finds the name replaced,
            // then fails naming the space and the cause: never a crash, never a second space
            for (String line : child.transcript().lines().filter(l -> l.startsWith("OUTCOME")).toList()) {
                assertTrue(line.contains("result=ok") || line.contains("FutexRaException: space 'swapped'")
                        && line.contains("was replaced by another file"), line);
            }
        }
        SpaceFormatException e = assertThrows(SpaceFormatException.class,
                () -> LockSpace.open(dirs.directory(), "swapped"));
        assertTrue(e.getMessage().contains("shorter than the 4096-byte header"), e.getMessage());
        assertNoCrashReports();
    }

    /**
     * A truncate that ignores the lock: each use of every object (the lock's fast path first) is
     * told, with the error that names the space, and the process exits normally. Java 17 raises a
     * fault of compiled code late and can still die of it (see {@code docs/truncated-spaces.md}),
     * so this runs on a later Java ({@code -Djvm=.../temurin-25.../java}).
     */
    @Test
    void shouldTellEveryCallerOfASpaceTruncatedUnderItsLiveMappingAndLiveOn() throws Exception {
        assumeTrue(Runtime.version().feature() > 17, "Java 17 raises a fault of compiled code late");
        Path errors = dirs.file("crash");
        Files.createDirectories(errors);
        try (ChildJvm child = ChildJvm.startWith(List.of(), List.of("-XX:ErrorFile=" + errors + "/hs_err_%p.log"),
                "damaged", dirs.directory().toString(), "cut", "truncate")) {
            child.awaitLine("DONE", Duration.ofSeconds(60));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.transcript());
            List<String> outcomes = child.transcript().lines().filter(l -> l.startsWith("OUTCOME")).toList();
            assertEquals(6, outcomes.size(), child.transcript());
            for (String line : outcomes) {
                assertTrue(line.contains("result=threw io.futexra.FutexRaException: space file truncated under us: "
                        + dirs.directory().resolve("cut.space")), line);
            }
        }
        try (Stream<Path> reports = Files.list(errors)) {
            assertEquals(List.of(), reports.toList(), "no crash report");
        }
    }

    private void assertNoCrashReports() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList());
        }
    }
}
