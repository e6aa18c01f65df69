package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.AliveFileDescriptor;
import io.futexra.core.SpaceChecker;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full tmpfs — a real one of 2 MiB, mounted by this test (it runs as root) — is a clean error
 * naming the space and its size when the space is created, never a SIGBUS ({@code InternalError})
 * later: a space's pages are all allocated at creation, so a space made before the file system
 * filled up keeps working to its last slot, and nothing half-made is left behind.
 */
@Timeout(120)
class FullFileSystemTest {

    private static final int SMALL = 64;

    private final TestSpaces spaces = new TestSpaces();
    private Path mount;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = spaces.file("tmpfs");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m,mode=0770", "futex-ra-test", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): "
                + output.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        // lazy: the space mappings live until the buffers are collected, which would keep the mount busy
        Process p = new ProcessBuilder("umount", "--lazy", mount.toString()).inheritIO().start();
        p.waitFor();
        spaces.close();
    }

    @Test
    void shouldFailCleanlyWhenTheFileSystemIsFullAndWorkAgainOnceThereIsRoom() throws Exception {
        // too big for the file system at all: refused at creation, naming the space and its size
        FutexRaException tooBig = assertThrows(FutexRaException.class,
                () -> LockSpace.open(mount, "huge", SpaceOptions.defaults()));
        assertTrue(tooBig.getMessage().contains("cannot create space file " + mount.resolve("huge.space")
                + " (4096 objects, ") && tooBig.getMessage().contains("No space left on device"), tooBig.getMessage());
        assertEquals(List.of(), list(), "a failed creation left something behind");

        // a space made while there was room, then the file system filled up by someone else
        SpaceOptions small = SpaceOptions.defaults().withCapacity(SMALL);
        try (LockSpace space = LockSpace.open(mount, "payroll", small)) {
            Path filler = fill();
            FutexRaException full = assertThrows(FutexRaException.class, () -> LockSpace.open(mount, "late", small));
            assertTrue(full.getMessage().contains("late.space") && full.getMessage().contains("No space left"),
                    full.getMessage());

            // every slot of the earlier space was allocated up front: its last object still fits
            for (int i = 0; i < SMALL; i++) {
                try (Held held = space.lock("lock-" + i).acquire()) {
                    assertTrue(held.fencingToken() > 0);
                }
            }
            assertEquals(SMALL, space.objects().size());
            SpaceChecker.Report report = SpaceChecker.check(mount.resolve("payroll.space"));
            assertTrue(report.isValid(), report.toString());
            assertEquals(List.of("filler", "payroll.space"), list(), "a failed creation left something behind");

            // room again: the space that could not be made is made, and used
            Files.delete(filler);
            try (LockSpace late = LockSpace.open(mount, "late", small)) {
                late.lock("after").acquire().close();
            }
        }
    }

    /** Writes a file until the file system is full; returns it. */
    private Path fill() throws IOException {
        Path filler = mount.resolve("filler");
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
        return filler;
    }

    /** The files of the mount but this process's alive file (made with room for its first threads when a space is opened). */
    private List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(mount)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(AliveFileDescriptor.NAME_PREFIX))
                    .sorted().toList();
        }
    }
}
