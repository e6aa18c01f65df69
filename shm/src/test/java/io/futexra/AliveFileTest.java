package io.futexra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.AliveFileDescriptor;
import io.futexra.core.HeaderDescriptor;
import io.futexra.core.LockSpaceLayout;
import io.futexra.core.ParticipantDescriptor;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each process keeps the alive words of its threads (what the kernel marks at a thread's death)
 * in a file of its own in the space's directory, which only it may write: a participant entry of
 * the space file only names that word. A writer of the space who rewrites an entry to name
 * something else affects that space only.
 */
@Timeout(180)
class AliveFileTest {

    @Test
    void shouldKeepAProcesssAliveWordsInAFileOnlyItMayWriteAndRemoveItWhenDone() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            LockSpace space = LockSpace.open(dirs.directory(), "own");
            space.lock("a").acquire().close();
            List<Path> files = aliveFiles(dirs.directory());
            assertEquals(1, files.size(), files.toString());
            Path file = files.get(0);
            assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(System.getProperty("user.name"), Files.getOwner(file).getName());
            assertTrue(file.getFileName().toString().matches("\\.futex-ra-alive-[0-9a-f]{8}"), file.toString());
            space.close(); // this thread holds nothing: it retires, and the file's last user is gone
            assertEquals(List.of(), aliveFiles(dirs.directory()));
        }
    }

    @Test
    void shouldRemoveTheAliveFileOfAKilledProcessWhenTheNextProcessMakesItsOwn() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "left", "x")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            List<Path> left = aliveFiles(dirs.directory());
            assertEquals(1, left.size(), left.toString());
            holder.kill9();
            holder.awaitExit(Duration.ofSeconds(30));
            assertTrue(Files.exists(left.get(0)), "nobody has cleaned up yet");
            try (LockSpace space = LockSpace.open(dirs.directory(), "left");
                 Held taken = space.lock("x").acquire(AwaitState.HANG_GUARD)) {
                assertTrue(taken.previousOwnerDied());
                List<Path> now = aliveFiles(dirs.directory());
                assertEquals(1, now.size(), now.toString());
                assertNotEquals(left.get(0), now.get(0), "the killed process's file is removed, ours made");
            }
        }
    }

    /**
     * The victim child holds "p" of a private space, then x1..x5 of a shared one. A writer of the
     * shared space rewrites the victim's entry there to name: a symlink to the victim's real alive
     * file, a FIFO, a copy writable by all, a word past the file's end (each reads as dead: that
     * lock is taken over), and a live word of this JVM, with its file's inode (reads as alive: a
 * waiter times out). Then
     * the victim is killed: its private lock is recovered, flagged.
     */
    @Test
    void shouldConfineARewrittenParticipantEntryToItsSpace() throws Exception {
        try (TestSpaces teamDirs = new TestSpaces();
             TestSpaces privateDirs = new TestSpaces()) {
            Path teamDir = teamDirs.directory();
            Files.createDirectories(privateDirs.directory());
            SpaceOptions small = SpaceOptions.defaults().withCapacity(16);
            try (LockSpace team = LockSpace.open(teamDir, "team", small);
                 LockSpace secret = LockSpace.open(privateDirs.directory(), "secret");
                 ChildJvm victim = ChildJvm.startClass(Victim.class, privateDirs.directory().toString(),
                         teamDir.toString())) {
                victim.awaitLine("HOLDING", Duration.ofSeconds(60));
                CompletableFuture<Boolean> privateWaiter = DeathWaiter.sleepOn(secret, "p");
                team.lock("mine").acquire().close(); // this thread takes part in the team space too
                Path space = teamDir.resolve("team.space");
                int victimEntry = entryOf(space, victim.pid());
                long real = claimOf(space, victimEntry);
                Path realFile = teamDir.resolve(AliveFileDescriptor.fileName(ParticipantDescriptor.claimFileId(real)));
                assertTrue(Files.isRegularFile(realFile), realFile.toString());
                assertTrue(team.lock("x1").tryAcquire().isEmpty(), "held by the live victim");

                Files.createSymbolicLink(teamDir.resolve(AliveFileDescriptor.fileName(0x0badf00d)), realFile);
                forgeClaim(space, victimEntry, withFile(real, 0x0badf00d));
                assertTakenOverFromTheDead(team, "x1");

                assertEquals(0, new ProcessBuilder("mkfifo", teamDir.resolve(AliveFileDescriptor.fileName(0x0badf00e))
                        .toString()).inheritIO().start().waitFor());
                forgeClaim(space, victimEntry, withFile(real, 0x0badf00e));
                assertTakenOverFromTheDead(team, "x2");

                Path open = teamDir.resolve(AliveFileDescriptor.fileName(0x0badf00f));
                Files.copy(realFile, open);
                Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
                byte[] before = Files.readAllBytes(open);
                forgeClaim(space, victimEntry, withFile(real, 0x0badf00f));
                assertTakenOverFromTheDead(team, "x3");
                assertArrayEquals(before, Files.readAllBytes(open), "nothing written to a file the entry names");

                forgeClaim(space, victimEntry, ParticipantDescriptor.claim(ParticipantDescriptor.claimFileId(real),
                        AliveFileDescriptor.MAX_WORDS - 1, ParticipantDescriptor.claimSerial(real)));
                assertTakenOverFromTheDead(team, "x4");

                int myEntry = liveEntryOf(space, ProcessHandle.current().pid());
                forgeClaim(space, victimEntry, claimOf(space, myEntry));
                forgeInode(space, victimEntry, inodeOf(space, myEntry));
                NamedLock x5 = team.lock("x5");
                assertThrows(LockTimeoutException.class, () -> x5.acquire(Duration.ofMillis(300)),
                        "a live word of another process: the dead victim looks alive, waiters time out");

                assertTrue(victim.isAlive(), victim.transcript());
                assertFalse(privateWaiter.isDone(), "the private lock is still held by the victim");
                victim.kill9();
                assertTrue(privateWaiter.get(60, TimeUnit.SECONDS), "the private lock is recovered, flagged");
                assertEquals(List.of(AliveFileDescriptor.fileName(0x0badf00e)), fifos(teamDir), "the FIFO is left as it was");
            }
        }
    }

    private static void assertTakenOverFromTheDead(LockSpace space, String name) {
        Optional<Held> taken = space.lock(name).tryAcquire();
        assertTrue(taken.isPresent(), name + ": an entry naming no valid alive word reads as dead");
        assertTrue(taken.get().previousOwnerDied(), name);
        taken.get().close();
    }

    private static long withFile(long claim, int fileId) {
        return ParticipantDescriptor.claim(fileId, ParticipantDescriptor.claimWordIndex(claim),
                ParticipantDescriptor.claimSerial(claim));
    }

    private static List<Path> aliveFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(AliveFileDescriptor.NAME_PREFIX)).toList();
        }
    }

    private static List<String> fifos(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : aliveFiles(dir)) {
            if (Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                out.add(p.getFileName().toString());
            }
        }
        return out;
    }

    private static int slotCount(FileChannel ch) throws IOException {
        return read(ch, HeaderDescriptor.SLOT_COUNT_OFFSET, 4).getInt(0);
    }

    private static long entryOffset(FileChannel ch, int index) throws IOException {
        return LockSpaceLayout.participantOffset(slotCount(ch), index);
    }

    /** The entry of process {@code pid} with a claim (the victim has one participating thread). */
    private static int entryOf(Path space, long pid) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ)) {
            for (int i = 0; i < ParticipantDescriptor.participantCount(slotCount(ch)); i++) {
                ByteBuffer e = read(ch, entryOffset(ch, i), ParticipantDescriptor.PARTICIPANT_LENGTH);
                if (e.getInt(ParticipantDescriptor.PARTICIPANT_PID_OFFSET) == pid
                        && e.getLong(ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET) != 0) {
                    return i;
                }
            }
        }
        throw new AssertionError("no entry of pid " + pid);
    }

    /** An entry of process {@code pid} whose alive word is live. */
    private static int liveEntryOf(Path space, long pid) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ)) {
            for (int i = 0; i < ParticipantDescriptor.participantCount(slotCount(ch)); i++) {
                ByteBuffer e = read(ch, entryOffset(ch, i), ParticipantDescriptor.PARTICIPANT_LENGTH);
                long claim = e.getLong(ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
                if (e.getInt(ParticipantDescriptor.PARTICIPANT_PID_OFFSET) == pid && claim != 0) {
                    Path file = space.resolveSibling(AliveFileDescriptor.fileName(ParticipantDescriptor.claimFileId(claim)));
                    try (FileChannel alive = FileChannel.open(file, StandardOpenOption.READ)) {
                        ByteBuffer word = read(alive,
                                AliveFileDescriptor.aliveOffset(ParticipantDescriptor.claimWordIndex(claim)), 8);
                        int a = word.getInt(0);
                        if ((a & 0x4000_0000) == 0 && (a & 0x3fff_ffff) != 0) {
                            return i; // a TID, not OWNER_DIED
                        }
                    }
                }
            }
        }
        throw new AssertionError("no live entry of pid " + pid);
    }

    private static long claimOf(Path space, int entry) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ)) {
            return read(ch, entryOffset(ch, entry) + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET, 8).getLong(0);
        }
    }

    private static long inodeOf(Path space, int entry) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ)) {
            return read(ch, entryOffset(ch, entry) + ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET, 8).getLong(0);
        }
    }

    /** What a writer of the space file can do: rewrite the alive file's inode an entry records. */
    private static void forgeInode(Path space, int entry, long inode) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, inode),
                    entryOffset(ch, entry) + ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET);
        }
    }

    /** What a writer of the space file can do: rewrite an entry's claim. */
    private static void forgeClaim(Path space, int entry, long claim) throws IOException {
        try (FileChannel ch = FileChannel.open(space, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, claim),
                    entryOffset(ch, entry) + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
            // positioned reads until full
        }
        return b.clear();
    }

    /**
     * The victim: {@code PRIVATE_DIR TEAM_DIR}. One thread takes "p" of space "secret" in the
     * private directory, then x1..x5 of space "team", prints HOLDING and keeps them.
     */
    static final class Victim {

        public static void main(String[] args) throws Exception {
            Thread holder = new Thread(() -> {
                try {
                    LockSpace secret = LockSpace.open(Path.of(args[0]), "secret");
                    secret.lock("p").acquire();
                    LockSpace team = LockSpace.open(Path.of(args[1]), "team", SpaceOptions.defaults().withCapacity(16));
                    for (int i = 1; i <= 5; i++) {
                        team.lock("x" + i).acquire();
                    }
                    System.out.println("HOLDING");
                    Thread.sleep(Long.MAX_VALUE);
                } catch (Throwable e) {
                    e.printStackTrace(System.out);
                }
            }, "holder");
            holder.start();
            holder.join();
        }
    }
}
