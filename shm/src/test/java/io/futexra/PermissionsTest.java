package io.futexra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.OtherUsers;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Permissions with real users: child JVMs run as {@code nobody} and {@code daemon} through
 * {@code setpriv} (this JVM is root, as in CI). A user outside the space's group can neither open,
 * create nor damage it; two users sharing a group share a space in a setgid directory.
 */
@Timeout(180)
class PermissionsTest {

    /** Group "users" (gid 100): present on Debian; setpriv grants it without touching /etc/group. */
    private static final String SHARED_GROUP = "100";

    private final TestSpaces dirs = new TestSpaces();
    private final OtherUsers users = new OtherUsers();

    @AfterEach
    void cleanUp() throws Exception {
        users.close();
        dirs.close();
    }

    @Test
    void shouldCreateSpacesWithAnExplicitModeWhateverTheUmask() throws Exception {
        // a creator whose umask would leave group and others nothing (077) still creates rw-rw----
        java.util.List<String> strictUmask = java.util.List.of("sh", "-c", "umask 0077 && exec \"$0\" \"$@\"");
        try (ChildJvm creator = ChildJvm.startWith(strictUmask, java.util.List.of(), "hold",
                dirs.directory().toString(), "moded", "x")) {
            creator.awaitLine("HELD", Duration.ofSeconds(60));
            assertEquals("rwxrwx---", mode(dirs.directory()));
            assertEquals("rw-rw----", mode(dirs.directory().resolve("moded.space")));
        }
    }

    @Test
    void shouldKeepAUserOutsideTheGroupFromOpeningCreatingOrDamagingASpace() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "guarded")) {
            space.lock("payroll").acquire().close();
            Path file = dirs.directory().resolve("guarded.space");
            byte[] before = Files.readAllBytes(file);

            // the default directory mode (rwxrwx---) keeps others out of the directory itself
            expectDenied("guarded", dirs.directory());
            expectDenied("other", dirs.directory());

            // even with the directory open to all, the file's mode (rw-rw----) keeps them out
            Files.setPosixFilePermissions(dirs.directory(), PosixFilePermissions.fromString("rwxrwxr-x"));
            expectDenied("guarded", dirs.directory().resolve("guarded.space"));

            assertArrayEquals(before, Files.readAllBytes(file), "the space file was changed");
            SpaceChecker.Report report = SpaceChecker.check(file);
            assertTrue(report.isValid(), report.toString());
            space.lock("payroll").acquire(Duration.ofSeconds(1)).close();
        }
    }

    @Test
    void shouldShareOneLockBetweenTwoUsersOfOneGroupThroughASetgidDirectory() throws Exception {
        Path shared = dirs.directory().resolve("shared");
        Files.createDirectories(shared);
        GroupPrincipal group = shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("users");
        Files.getFileAttributeView(shared, PosixFileAttributeView.class).setGroup(group);
        Process chmod = new ProcessBuilder("chmod", "2770", shared.toString()).inheritIO().start(); // setgid: new files get the group
        assertEquals(0, chmod.waitFor());
        Path counterFile = users.scratch().resolve("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        Files.setPosixFilePermissions(counterFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        int threads = 3;
        int iterations = 2_000;
        try (ChildJvm daemon = users.start("daemon", "daemon", SHARED_GROUP, "hammer", shared.toString(), "team",
                "batch", counterFile.toString(), Integer.toString(threads), Integer.toString(iterations),
                users.scratch().resolve("tokens-daemon").toString())) {
            daemon.awaitLine("READY", Duration.ofSeconds(60)); // daemon created the space
            try (ChildJvm nobody = users.start("nobody", "nogroup", SHARED_GROUP, "hammer", shared.toString(), "team",
                    "batch", counterFile.toString(), Integer.toString(threads), Integer.toString(iterations),
                    users.scratch().resolve("tokens-nobody").toString())) {
                daemon.awaitLine("DONE", Duration.ofSeconds(120));
                nobody.awaitLine("DONE", Duration.ofSeconds(120));
                assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)), daemon.transcript());
                assertEquals(0, nobody.awaitExit(Duration.ofSeconds(30)), nobody.transcript());
            }
        }
        Path file = shared.resolve("team.space");
        assertEquals("daemon", Files.getOwner(file).getName());
        assertEquals("users", Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).group().getName());
        assertEquals("rw-rw----", mode(file));
        assertEquals(0, counter.overlaps(), "two holders at once across users");
        assertEquals(2L * threads * iterations, counter.count(), "lost increments");
        try (LockSpace space = LockSpace.open(shared, "team")) {
            assertEquals(2L * threads * iterations, space.objects().get(0).acquisitions());
        }
    }

    private void expectDenied(String spaceName, Path where) throws Exception {
        Path dir = dirs.directory();
        try (ChildJvm intruder = users.start("nobody", "nogroup", "", "hold", dir.toString(), spaceName, "payroll")) {
            String failed = intruder.awaitLine("FAILED", Duration.ofSeconds(60));
            assertEquals(1, intruder.awaitExit(Duration.ofSeconds(30)));
            assertTrue(failed.contains("FutexRaException") && failed.contains("permission denied on " + where)
                    && failed.contains("group"), failed);
        }
        assertFalse(Files.exists(dir.resolve("other.space")), "nobody created a space");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
