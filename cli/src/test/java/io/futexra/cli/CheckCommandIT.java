package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.core.AliveFileDescriptor;
import io.futexra.core.HeaderDescriptor;
import io.futexra.core.LockSpaceLayout;
import io.futexra.core.ParticipantDescriptor;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code futex-ra check} runs the space checker on the real command: a sound space passes (0), a
 * registry word left with a dead thread's TID is reported as damage (65, the problem named), a
 * missing space is refused (69) and not created, and a participant table filled with live TIDs is
 * named with what the operator does about it.
 */
@Timeout(120)
class CheckCommandIT {

    private static final Duration GUARD = Duration.ofSeconds(60);

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldPassASoundSpaceAndReportARegistryWordNamingNoParticipantAsDamage() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            try (LockSpace space = LockSpace.open(dirs.directory(), "checked")) {
                space.lock("a").acquire().close();
                space.semaphore("s", 2);
            }
            CliProcess sound = CliProcess.run(dirs.directory(), GUARD, "--space", "checked", "check");
            assertEquals(0, sound.exitValue(), sound.transcript());
            assertTrue(sound.stdout().contains("valid, 2 objects"), sound.transcript());

            // a participant id (layout 2: generation << 12 | index + 1) whose index, 4094, lies
            // outside this space's table of 2048 participants: no writer of ours makes it. (A
            // dead participant's id is no damage: the next acquirer takes the word over.)
            int outsideTheTable = 0x0FFF;
            try (FileChannel ch = FileChannel.open(dirs.directory().resolve("checked.space"), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, outsideTheTable),
                        HeaderDescriptor.REGISTRY_OFFSET);
            }
            CliProcess damaged = CliProcess.run(dirs.directory(), GUARD, "--space", "checked", "check");
            assertEquals(ExitCodes.DATA_ERROR, damaged.exitValue(), damaged.transcript());
            assertTrue(damaged.stdout().contains("INVALID") && damaged.stdout().contains("registry mutex"),
                    damaged.transcript());
        }
    }

    @Test
    void shouldNameAFullParticipantTableAndWhatTheOperatorDoes() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            SpaceOptions small = SpaceOptions.defaults().withCapacity(16);
            try (LockSpace space = LockSpace.open(dirs.directory(), "full", small)) {
                space.lock("a").acquire().close();
            }
            // every entry names a word holding tid 1 (init, always alive) in an alive file of the
            // writer's own, as a writer of the space and its directory could; the writer lives
            // (holds a lock on the file), so no process of its user cleans the file away
            int count = ParticipantDescriptor.participantCount(16);
            Path forged = dirs.directory().resolve(AliveFileDescriptor.fileName(1));
            try (FileChannel words = FileChannel.open(forged, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                         StandardOpenOption.WRITE);
                 FileLock writerLives = words.lock(0, 1, true)) {
                assertTrue(writerLives.isValid());
                Files.setPosixFilePermissions(forged, PosixFilePermissions.fromString("rw-r--r--"));
                int uid = (Integer) Files.getAttribute(forged, "unix:uid");
                long inode = (Long) Files.getAttribute(forged, "unix:ino");
                try (FileChannel ch = FileChannel.open(dirs.directory().resolve("full.space"), StandardOpenOption.WRITE)) {
                    for (int i = 0; i < count; i++) {
                        words.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0, 1).putInt(4, 1),
                                AliveFileDescriptor.aliveOffset(i));
                        long entry = LockSpaceLayout.participantOffset(16, i);
                        ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                                .putLong(0, ParticipantDescriptor.claim(1, i, 1)), entry
                                + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
                        ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, uid), entry
                                + ParticipantDescriptor.PARTICIPANT_UID_OFFSET);
                        ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, inode), entry
                                + ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET);
                    }
                }
                checkFullTable(dirs, small, count);
            }
        }
    }

    private static void checkFullTable(TestSpaces dirs, SpaceOptions small, int count) throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "full", small)) {
            FutexRaException refused = assertThrows(FutexRaException.class, () -> space.lock("a"));
            assertTrue(refused.getMessage().contains("futex-ra check"), refused.getMessage());
        }
        CliProcess check = CliProcess.run(dirs.directory(), GUARD, "--space", "full", "check");
        assertEquals(ExitCodes.DATA_ERROR, check.exitValue(), check.transcript());
        String report = check.stdout();
        assertTrue(report.contains("participant table full: all " + count + " entries") && report.contains(
                count + " of them name no thread") && report.contains("futex-ra --space full rm"), report);
    }

    @Test
    void shouldRefuseASpaceThatDoesNotExistWithoutCreatingIt() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            CliProcess missing = CliProcess.run(dirs.directory(), GUARD, "--space", "nowhere", "check");
            assertEquals(ExitCodes.UNAVAILABLE, missing.exitValue(), missing.transcript());
            assertTrue(missing.stderr().contains("'nowhere' does not exist"), missing.transcript());
            assertFalse(Files.exists(dirs.directory().resolve("nowhere.space")), "check must not create a space");
        }
    }
}
