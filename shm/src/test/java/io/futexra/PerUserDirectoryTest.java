package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.OtherUsers;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LockSpace#defaultDirectory()} where nobody provisioned the shared directory: each user
 * gets a private directory of their own, made by them, and one somebody else planted (or loosened,
 * or swapped for a symlink) is refused. Run as real other users with {@code setpriv}
 * ({@link OtherUsers}), in a sticky, world-writable stand-in for {@code /dev/shm} (the real one is
 * shared with every other test on the host).
 */
@Timeout(120)
class PerUserDirectoryTest {

    private static final int NOBODY = 65534;
    private static final Duration EXIT = Duration.ofSeconds(60);

    private final OtherUsers users = new OtherUsers();
    private Path shm;
    private Path shared;
    private Path nobodys;

    /** Child program: prints the default directory for {@code args[0]} as the shared one and opens a space in it, or why it was refused. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                Path dir = DefaultDirectory.resolve(Path.of(args[0]), DefaultDirectory.effectiveUid());
                try (LockSpace space = LockSpace.open(dir, "mine"); Held held = space.lock("l").acquire()) {
                    System.out.println("dir " + dir + " acquisitions " + space.objects().get(0).acquisitions());
                }
            } catch (FutexRaException e) {
                System.out.println("refused " + (e.getCause() instanceof AccessDeniedException) + " " + e.getMessage());
            }
        }
    }

    @BeforeEach
    void makeAStandInForDevShm() throws IOException {
        shm = Files.createDirectory(users.scratch().resolve("shm"));
        Files.setAttribute(shm, "unix:mode", 01777);
        shared = shm.resolve("futex-ra");
        nobodys = shm.resolve("futex-ra-" + NOBODY);
    }

    @AfterEach
    void cleanUp() throws IOException {
        users.close();
    }

    private String probeAsNobody() throws InterruptedException {
        try (ChildJvm child = users.startClass("nobody", "nogroup", "", Probe.class, shared.toString())) {
            String line = child.awaitLine("", EXIT);
            while (!line.startsWith("dir ") && !line.startsWith("refused ")) {
                line = child.awaitLine("", EXIT);
            }
            assertEquals(0, child.awaitExit(EXIT), child.transcript());
            return line;
        }
    }

    @Test
    void shouldGiveAUserAPrivateDirectoryOfTheirOwnWhereNoneIsProvisioned() throws Exception {
        assertEquals("dir " + nobodys + " acquisitions 1", probeAsNobody());
        assertEquals(NOBODY, Files.getAttribute(nobodys, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(0700, (Integer) Files.getAttribute(nobodys, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
        assertFalse(Files.exists(shared, LinkOption.NOFOLLOW_LINKS), "the shared directory is not created");
        assertEquals("dir " + nobodys + " acquisitions 2", probeAsNobody(), "the second time: the same directory, accepted");
    }

    @Test
    void shouldUseTheSharedDirectoryWhereItIsProvisioned() throws Exception {
        Files.createDirectory(shared);
        Files.setAttribute(shared, "unix:mode", 01777);
        assertEquals("dir " + shared + " acquisitions 1", probeAsNobody());
        assertFalse(Files.exists(nobodys, LinkOption.NOFOLLOW_LINKS), "no per-user directory");
    }

    @Test
    void shouldRefuseAPerUserDirectoryPlantedByAnotherUser() throws Exception {
        Files.createDirectory(nobodys);
        Files.setAttribute(nobodys, "unix:mode", 0700);
        Files.setOwner(nobodys, lookup("daemon"));
        String line = probeAsNobody();
        assertTrue(line.startsWith("refused true " + nobodys + " is refused") && line.contains("belongs to uid 1,")
                && line.contains("remove it"), line);
    }

    @Test
    void shouldRefuseAPerUserDirectoryMadeReadableByOthers() throws Exception {
        Files.createDirectory(nobodys);
        Files.setOwner(nobodys, lookup("nobody"));
        Files.setAttribute(nobodys, "unix:mode", 0755);
        String line = probeAsNobody();
        assertTrue(line.startsWith("refused true") && line.contains("its mode is 755") && line.contains("chmod 700"), line);
    }

    @Test
    void shouldRefuseASymlinkInPlaceOfThePerUserDirectory() throws Exception {
        Path target = Files.createDirectory(shm.resolve("elsewhere"));
        Files.setOwner(target, lookup("nobody"));
        Files.setAttribute(target, "unix:mode", 0700);
        Files.createSymbolicLink(nobodys, target);
        String line = probeAsNobody();
        assertTrue(line.startsWith("refused true") && line.contains("not a directory (a symlink or a file)"), line);
        try (var nothing = Files.list(target)) {
            assertEquals(0, nothing.count(), "nothing created through the symlink");
        }
    }

    @Test
    void shouldGiveRootTheSharedDirectoryAndTellTheEffectiveUser() throws IOException {
        Path mine = Files.createTempFile(users.scratch(), "uid", "");
        assertEquals(Files.getAttribute(mine, "unix:uid"), DefaultDirectory.effectiveUid(), "the uid files are made with");
        assertEquals(shared, DefaultDirectory.resolve(shared, 0));
        assertFalse(Files.exists(shared, LinkOption.NOFOLLOW_LINKS), "nothing created for root");
        assertFalse(Files.exists(shm.resolve("futex-ra-0"), LinkOption.NOFOLLOW_LINKS));
    }

    private static UserPrincipal lookup(String user) throws IOException {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
    }
}
