package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.HeaderDescriptor;
import io.futexra.core.LockSpaceLayout;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating, validating and naming spaces; a file that is not a valid space is never mapped. */
@Timeout(120)
class LockSpaceTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws IOException {
        dirs.close();
    }

    @Test
    void shouldCreateTheSpaceFileWithItsModeWhateverTheUmask() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "modes")) {
            Path file = dirs.directory().resolve("modes.space");
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(LockSpaceLayout.fileLength(SpaceOptions.DEFAULT_CAPACITY), Files.size(file));
            assertEquals("modes", space.name());
        }
        SpaceOptions ownerOnly = SpaceOptions.defaults().withFileMode(PosixFilePermissions.fromString("rw-------"));
        try (LockSpace space = LockSpace.open(dirs.directory(), "private", ownerOnly)) {
            assertEquals("private", space.name());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dirs.directory().resolve("private.space"))));
        }
        try (Stream<Path> files = Files.list(dirs.directory())) {
            assertEquals(Set.of("modes.space", "private.space"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no temporary files left");
        }
    }

    @Test
    void shouldCreateTheSpaceOnceWhenProcessesRace() throws Exception {
        Path go = dirs.file("go");
        Files.deleteIfExists(go);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                children.add(ChildJvm.start("race", dirs.directory().toString(), "raced", go.toString()));
            }
            for (ChildJvm c : children) {
                c.awaitLine("READY", Duration.ofSeconds(30));
            }
            Files.createFile(go);
            Set<String> inodes = new HashSet<>();
            Set<String> tokens = new HashSet<>();
            for (ChildJvm c : children) {
                String line = c.awaitLine("OPENED", Duration.ofSeconds(30));
                inodes.add(ChildMain.field(line, "ino"));
                tokens.add(ChildMain.field(line, "token"));
                assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
            }
            assertEquals(1, inodes.size(), "every process must map the same file: " + inodes);
            long low = tokens.stream().mapToLong(Long::parseLong).min().orElseThrow();
            assertEquals(Set.of(low, low + 1, low + 2, low + 3), tokens.stream().map(Long::valueOf)
                    .collect(java.util.stream.Collectors.toSet()), "one lock, four acquisitions in one space");
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
        try (Stream<Path> files = Files.list(dirs.directory())) {
            assertEquals(Set.of("go", "raced.space"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no temporary files left");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".hidden", "a..b", "sp ace", "tab\t", "ü"})
    void shouldRefuseInvalidSpaceNames(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(dirs.directory(), name));
        assertTrue(e.getMessage().contains("invalid space name"), e.getMessage());
    }

    @Test
    void shouldRefuseOverlongAndNullSpaceNames() {
        assertThrows(IllegalArgumentException.class, () -> LockSpace.open(dirs.directory(), "x".repeat(101)));
        assertThrows(IllegalArgumentException.class, () -> LockSpace.open(dirs.directory(), null));
        try (LockSpace ok = LockSpace.open(dirs.directory(), "x".repeat(100))) {
            assertEquals(100, ok.name().length());
        }
    }

    @Test
    void shouldRefuseInvalidObjectNamesClearly() {
        try (LockSpace space = LockSpace.open(dirs.directory(), "names")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> space.lock("")).getMessage().contains("empty"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> space.lock("a\0b")).getMessage()
                    .contains("control character U+0000"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> space.lock("line\nbreak")).getMessage()
                    .contains("control character"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> space.lock("é".repeat(65))).getMessage()
                    .contains("130 bytes"));
            assertThrows(IllegalArgumentException.class, () -> space.lock("\ud800"));
            assertThrows(IllegalArgumentException.class, () -> space.lock(null));
            assertEquals("é".repeat(64), space.lock("é".repeat(64)).name());
            assertEquals("nightly report/ünïcode ✓", space.lock("nightly report/ünïcode ✓").name());
            assertEquals(2, space.objects().size(), "refused names create nothing");
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotASpace() throws Exception {
        byte[] junk = new byte[8192];
        new Random(1).nextBytes(junk);
        Files.write(dirs.file("junk.space"), junk);
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "junk"));
        assertTrue(e.getMessage().contains("not a futex-ra space"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 4095})
    void shouldRefuseAFileShorterThanTheHeader(int length) throws Exception {
        Files.write(dirs.file("short.space"), new byte[length]);
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "short"));
        assertTrue(e.getMessage().contains("shorter than"), e.getMessage());
    }

    @Test
    void shouldRefuseATruncatedSpaceWithoutMappingIt() throws Exception {
        LockSpace.open(dirs.directory(), "cut", SpaceOptions.defaults().withCapacity(16)).close();
        try (RandomAccessFile f = new RandomAccessFile(dirs.directory().resolve("cut.space").toFile(), "rw")) {
            f.setLength(LockSpaceLayout.fileLength(16) - 100);
        }
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "cut"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldRefuseAGrownSpace() throws Exception {
        LockSpace.open(dirs.directory(), "grown", SpaceOptions.defaults().withCapacity(16)).close();
        try (RandomAccessFile f = new RandomAccessFile(dirs.directory().resolve("grown.space").toFile(), "rw")) {
            f.setLength(LockSpaceLayout.fileLength(16) + 4096);
        }
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "grown"));
        assertTrue(e.getMessage().contains("grown"), e.getMessage());
    }

    @Test
    void shouldRefuseAnotherLayoutVersion() throws Exception {
        int newer = LockSpaceLayout.LAYOUT_VERSION + 1;
        LockSpace.open(dirs.directory(), "newer", SpaceOptions.defaults().withCapacity(16)).close();
        patchInt(dirs.directory().resolve("newer.space"), HeaderDescriptor.LAYOUT_VERSION_OFFSET, newer);
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "newer"));
        assertTrue(e.getMessage().contains("layout version " + newer), e.getMessage());
    }

    /**
     * Files of layouts 1 (robust-list pointers in the file), 2 (the readers' record scans) and 3
     * (alive words in the space file) are refused, saying why and what to do.
     */
    @Test
    void shouldRefuseASpaceOfThePreviousLayoutSayingSo() throws Exception {
        Path file = dirs.directory().resolve("old.space");
        LockSpace.open(dirs.directory(), "old", SpaceOptions.defaults().withCapacity(16)).close();
        patchInt(file, HeaderDescriptor.LAYOUT_VERSION_OFFSET, 1);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(LockSpaceLayout.participantsOffset(16)); // layout 1 had no participant table
        }
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "old"));
        assertTrue(e.getMessage().contains("has layout 1 (owners linked through robust-list pointers"), e.getMessage());
        LockSpace.open(dirs.directory(), "v2", SpaceOptions.defaults().withCapacity(16)).close();
        patchInt(dirs.directory().resolve("v2.space"), HeaderDescriptor.LAYOUT_VERSION_OFFSET, 2);
        SpaceFormatException v2 = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "v2"));
        assertTrue(v2.getMessage().contains("has layout 2 (readers found by scanning records"), v2.getMessage());
        LockSpace.open(dirs.directory(), "v3", SpaceOptions.defaults().withCapacity(16)).close();
        patchInt(dirs.directory().resolve("v3.space"), HeaderDescriptor.LAYOUT_VERSION_OFFSET, 3);
        SpaceFormatException v3 = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "v3"));
        assertTrue(v3.getMessage().contains("space " + dirs.directory().resolve("v3.space") + " has layout 3 (alive words"
                + " in the space file") && v3.getMessage().contains("this futex-ra uses " + LockSpaceLayout.LAYOUT_VERSION
                + ": recreate it when no process uses it"), v3.getMessage());
        assertTrue(e.getMessage().contains("futex-ra rm"), e.getMessage());
        assertEquals(LockSpaceLayout.participantsOffset(16), Files.size(file), "refused, not rewritten");
    }

    @Test
    void shouldRefuseACorruptedGeometry() throws Exception {
        LockSpace.open(dirs.directory(), "geo", SpaceOptions.defaults().withCapacity(16)).close();
        patchInt(dirs.directory().resolve("geo.space"), HeaderDescriptor.SLOT_COUNT_OFFSET, 1 << 30);
        SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> LockSpace.open(dirs.directory(), "geo"));
        assertTrue(e.getMessage().contains("corrupted header"), e.getMessage());
    }

    @Test
    void shouldSayWhenTheSpaceIsFullAndHowToGrow() {
        try (LockSpace space = LockSpace.open(dirs.directory(), "small", SpaceOptions.defaults().withCapacity(3))) {
            space.lock("a");
            space.lock("b");
            space.lock("c");
            SpaceFullException e = assertThrows(SpaceFullException.class, () -> space.lock("d"));
            assertTrue(e.getMessage().contains("all 3 slots") && e.getMessage().contains("withCapacity"), e.getMessage());
            space.lock("a").acquire().close(); // existing objects still work
            assertEquals(3, space.objects().size());
        }
    }

    @Test
    void shouldKeepTheCapacityItWasCreatedWith() {
        LockSpace.open(dirs.directory(), "cap", SpaceOptions.defaults().withCapacity(8)).close();
        try (LockSpace again = LockSpace.open(dirs.directory(), "cap", SpaceOptions.defaults().withCapacity(64))) {
            assertEquals(8, ((io.futexra.core.ShmLockSpace) again).capacity());
        }
    }

    @Test
    void shouldRefuseBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> SpaceOptions.defaults().withCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> SpaceOptions.defaults().withCapacity(SpaceOptions.MAX_CAPACITY + 1));
        assertThrows(IllegalArgumentException.class,
                () -> SpaceOptions.defaults().withFileMode(PosixFilePermissions.fromString("r--r-----")));
    }

    private static void patchInt(Path file, int offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value);
            ch.write(b, offset);
        }
    }
}
