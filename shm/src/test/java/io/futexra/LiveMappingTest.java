package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The space file changed under a live mapping: what is protected (a cooperating remove or
 * truncate is refused while the space is mapped; a replaced or removed name leaves mappers working
 * and new openers with a clear error) and what is not (a truncate that ignores the lock: the next
 * process to touch the mapping dies of SIGBUS, and this test shows it so the documentation can say so).
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
     * A known limit, shown rather than hidden: HotSpot turns SIGBUS in a plain mapped-buffer read
     * into an {@code InternalError}, but a compare-and-set on a truncated mapping (every lock's
     * fast path) crashes the JVM. Nothing in the library can catch it; the shared flock keeps
     * cooperating tools away, and file permissions keep everyone else away.
     */
    @Test
    void anUncooperativeTruncateUnderALiveMappingKillsTheNextProcessToTouchIt() throws Exception {
        Path errors = dirs.file("crash");
        Files.createDirectories(errors);
        try (ChildJvm child = ChildJvm.startWith(List.of(), List.of("-XX:ErrorFile=" + errors + "/hs_err_%p.log"),
                "damaged", dirs.directory().toString(), "cut", "truncate")) {
            child.awaitLine("DAMAGED", Duration.ofSeconds(60));
            int status = child.awaitExit(Duration.ofSeconds(30));
            assertEquals(134, status, "expected the SIGBUS crash (SIGABRT after the error report): " + child.transcript());
            assertTrue(child.transcript().contains("SIGBUS"), child.transcript());
        }
    }

    private void assertNoCrashReports() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList());
        }
    }
}
