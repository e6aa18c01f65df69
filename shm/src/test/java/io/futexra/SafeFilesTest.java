package io.futexra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.TestSpaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a local attacker can put in a space's place — a symlink to a file of the victim, a FIFO, a
 * device node, a directory of their own, a world-writable directory or space — is refused with a
 * message that says what is wrong and what to run, and nothing outside the directory is created
 * or changed. This JVM runs as root (as CI does); "another user" is {@code nobody}.
 */
@Timeout(120)
class SafeFilesTest {

    private final TestSpaces spaces = new TestSpaces();
    private Path dir;
    private Path victim;
    private byte[] victimBytes;

    @BeforeEach
    void plantVictim() throws Exception {
        dir = spaces.file("spaces");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        victim = spaces.file("root-only-secret");
        victimBytes = "do not touch".getBytes(StandardCharsets.UTF_8);
        Files.write(victim, victimBytes);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        spaces.close();
    }

    @Test
    void shouldRefuseASymlinkInPlaceOfASpaceFileWithoutTouchingItsTarget() throws Exception {
        Files.createSymbolicLink(dir.resolve("payroll.space"), victim);
        SpaceFormatException refused = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dir, "payroll"));
        assertMentions(refused, "is a symbolic link, not a space file", "rm " + dir.resolve("payroll.space"));
        assertVictimUntouched();
        assertTrue(Files.isSymbolicLink(dir.resolve("payroll.space")));
    }

    @Test
    void shouldRefuseAFifoWithoutOpeningIt() throws Exception {
        run("mkfifo", dir.resolve("payroll.space").toString());
        SpaceFormatException refused = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dir, "payroll"));
        assertMentions(refused, "is a FIFO (named pipe), not a space file");
        assertVictimUntouched();
    }

    @Test
    void shouldRefuseADeviceNodeWithoutOpeningIt() throws Exception {
        run("mknod", dir.resolve("payroll.space").toString(), "c", "1", "3"); // /dev/null's numbers
        SpaceFormatException refused = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dir, "payroll"));
        assertMentions(refused, "is a character device, not a space file");
    }

    @Test
    void shouldRefuseADirectoryOwnedByAnotherUser() throws Exception {
        Files.setOwner(dir, nobody());
        FutexRaException refused = assertThrows(FutexRaException.class, () -> LockSpace.open(dir, "payroll"));
        assertInstanceOf(AccessDeniedException.class, refused.getCause());
        assertMentions(refused, "is owned by uid 65534, neither this user (uid 0) nor root", "install -d -m 2770");
        assertEquals(List.of(), list(dir), "something was created in the untrusted directory");
    }

    @Test
    void shouldRefuseADirectoryWritableByOthersUnlessSticky() throws Exception {
        run("chmod", "0777", dir.toString());
        FutexRaException refused = assertThrows(FutexRaException.class, () -> LockSpace.open(dir, "payroll"));
        assertInstanceOf(AccessDeniedException.class, refused.getCause());
        assertMentions(refused, "mode 0777", "no sticky bit", "chmod o-w " + dir);
        assertEquals(List.of(), list(dir));

        run("chmod", "1777", dir.toString()); // as /dev/shm itself: nobody may replace another's file
        try (LockSpace space = LockSpace.open(dir, "payroll")) {
            space.lock("l").acquire().close();
        }
    }

    @Test
    void shouldRefuseASymlinkedDirectory() throws Exception {
        Path link = spaces.file("link-to-spaces");
        Files.createSymbolicLink(link, dir);
        FutexRaException refused = assertThrows(FutexRaException.class, () -> LockSpace.open(link, "payroll"));
        assertMentions(refused, "is a symbolic link", "readlink -f " + link);
        assertEquals(List.of(), list(dir));
    }

    @Test
    void shouldRefuseAWorldWritableSpaceUnlessAllowed() throws Exception {
        LockSpace.open(dir, "payroll").close();
        Path file = dir.resolve("payroll.space");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        FutexRaException refused = assertThrows(FutexRaException.class, () -> LockSpace.open(dir, "payroll"));
        assertInstanceOf(AccessDeniedException.class, refused.getCause());
        assertMentions(refused, "mode 0666", "writable by every user", "chmod o-w " + file);
        try (LockSpace allowed = LockSpace.open(dir, "payroll", SpaceOptions.defaults().allowingWorldWritable())) {
            allowed.lock("l").acquire().close();
        }

        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> SpaceOptions.defaults().withFileMode(PosixFilePermissions.fromString("rw-rw-rw-")));
        assertMentions(mode, "lets every user write the space", "allowingWorldWritable()");
        SpaceOptions open = SpaceOptions.defaults().allowingWorldWritable()
                .withFileMode(PosixFilePermissions.fromString("rw-rw-rw-"));
        LockSpace.open(dir, "public", open).close();
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("public.space"))));
    }

    @Test
    void shouldRefuseASpacePlantedByAnotherUserInADirectoryOpenToAll() throws Exception {
        run("chmod", "1777", dir.toString());
        LockSpace.open(dir, "payroll").close();
        Path file = dir.resolve("payroll.space");
        Files.setOwner(file, nobody()); // as if nobody had made it before us
        FutexRaException refused = assertThrows(FutexRaException.class, () -> LockSpace.open(dir, "payroll"));
        assertInstanceOf(AccessDeniedException.class, refused.getCause());
        assertMentions(refused, "is owned by uid 65534", "every user may write", "rm " + file);
    }

    @Test
    void shouldRemoveTheCheckedFileByDescriptorAndNothingElse() throws Exception {
        LockSpace.open(dir, "payroll").close();
        assertTrue(LockSpace.remove(dir, "payroll"));
        assertEquals(List.of(), list(dir));
        Files.createSymbolicLink(dir.resolve("payroll.space"), victim);
        assertThrows(SpaceFormatException.class, () -> LockSpace.remove(dir, "payroll"));
        assertVictimUntouched();
        assertTrue(Files.isSymbolicLink(dir.resolve("payroll.space")));
    }

    private void assertVictimUntouched() throws Exception {
        assertArrayEquals(victimBytes, Files.readAllBytes(victim), "the victim's content changed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)),
                "the victim's mode changed");
        assertEquals("root", Files.getOwner(victim, LinkOption.NOFOLLOW_LINKS).getName());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    private static UserPrincipal nobody() throws Exception {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    private static List<String> list(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
