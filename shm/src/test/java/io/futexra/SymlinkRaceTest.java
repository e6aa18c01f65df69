package io.futexra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.AwaitState;
import io.futexra.testing.TestSpaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Creation races a real attacker: a shell run as {@code nobody} (through {@code setpriv}) plants,
 * in a loop, symlinks to a root-only file at every name the creator (this JVM, root) is about to
 * use — the space names and any temporary name it can see — in a sticky directory open to all,
 * as {@code /dev/shm} is. Whoever wins each name, the creator touches nothing but its own new
 * file: each space is either created (a regular root-owned file with the mode asked for) or
 * refused as a symlink, and the root-only file keeps its content and its mode.
 */
@Timeout(180)
class SymlinkRaceTest {

    private static final int SPACES = 40;

    private final TestSpaces spaces = new TestSpaces();
    private Process racer;

    @AfterEach
    void cleanUp() throws Exception {
        if (racer != null) {
            racer.descendants().forEach(ProcessHandle::destroyForcibly);
            racer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        spaces.close();
    }

    @Test
    void shouldTouchNothingButItsOwnNewFileWhileAnotherUserSwapsInSymlinks() throws Exception {
        Path dir = spaces.file("shared");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, new ProcessBuilder("chmod", "+t", dir.toString()).start().waitFor());
        Path victim = spaces.file("root-only");
        byte[] secret = "root's own".getBytes(StandardCharsets.UTF_8);
        Files.write(victim, secret);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));

        Path started = dir.resolve("racer-started");
        String script = "touch " + started + "; while :; do i=0; while [ $i -lt " + SPACES + " ]; do"
                + " ln -s " + victim + " " + dir + "/s$i.space 2>/dev/null;"
                + " for t in " + dir + "/.*.tmp; do [ -e \"$t\" ] && ln -sf " + victim + " \"$t\" 2>/dev/null; done;"
                + " i=$((i+1)); done; done";
        racer = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
                "sh", "-c", script).redirectErrorStream(true).start();
        AwaitState.until("the racer started (or ended)", () -> Files.exists(started) || !racer.isAlive());
        assertTrue(racer.isAlive(), "the racer did not start");

        int created = 0;
        int refused = 0;
        for (int i = SPACES - 1; i >= 0; i--) { // the racer plants from 0 up, the creator creates from the top
            try (LockSpace space = LockSpace.open(dir, "s" + i)) {
                space.lock("l").acquire().close();
                created++;
            } catch (SpaceFormatException symlink) {
                assertTrue(symlink.getMessage().contains("is a symbolic link, not a space file"), symlink.getMessage());
                refused++;
            }
        }
        racer.descendants().forEach(ProcessHandle::destroyForcibly);
        racer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        assertArrayEquals(secret, Files.readAllBytes(victim), "the root-only file's content changed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)),
                "the root-only file's mode changed");
        for (int i = 0; i < SPACES; i++) {
            Path file = dir.resolve("s" + i + ".space");
            if (Files.isSymbolicLink(file)) {
                assertEquals(victim, Files.readSymbolicLink(file));
            } else {
                assertEquals("root", Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName());
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertTrue(SpaceChecker.check(file).isValid(), file.toString());
            }
        }
        assertEquals(SPACES, created + refused);
        System.out.printf("symlink race: %d spaces created, %d names taken by the racer first%n", created, refused);
        try (var names = Files.list(dir)) {
            List<String> leftovers = names.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), leftovers, "temporary files left");
        }
    }
}
