package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.core.LockDescriptor;
import io.futexra.core.LockSpaceLayout;
import io.futexra.core.SlotDescriptor;
import io.futexra.testing.TestSpaces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line on unsafe files and unsafe names: a planted symlink is "not a space" (65), a
 * directory of another user is a permission problem (77), each with one actionable line; and
 * {@code ls} / {@code ls --json} / {@code check} never print a character that a terminal or a reader would take
 * for something else (bidi overrides, other format characters, C0 and C1 controls).
 */
@Timeout(60)
class SafeFilesCliTest {

    /** Right-to-left override, zero-width joiner, BOM: Unicode category Cf, accepted in names. */
    private static final String BIDI_NAME = "invoice\u202Efdp.exe\u200D\uFEFF";

    private final TestSpaces spaces = new TestSpaces();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void cleanUp() throws Exception {
        spaces.close();
    }

    @Test
    void shouldExitWith65OnASymlinkInPlaceOfTheSpaceFile() throws Exception {
        Path dir = spaces.file("spaces");
        Files.createDirectories(dir);
        Path target = spaces.file("elsewhere");
        Files.createSymbolicLink(dir.resolve("payroll.space"), target);
        assertEquals(65, execute("--dir", dir.toString(), "--space", "payroll", "run", "--lock", "x", "--", "true"));
        assertOneLine("is a symbolic link, not a space file", "rm " + dir.resolve("payroll.space"));
        assertFalse(Files.exists(target), "the symlink was followed");
    }

    @Test
    void shouldExitWith77OnADirectoryOfAnotherUser() throws Exception {
        Path dir = spaces.file("spaces");
        Files.createDirectories(dir);
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals(77, execute("--dir", dir.toString(), "--space", "payroll", "signal", "e"));
        assertOneLine("is owned by uid 65534", "install -d");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void shouldEscapeFormatAndBidiCharactersInLs() throws Exception {
        Path dir = spaces.file("spaces");
        try (LockSpace space = LockSpace.open(dir, "payroll")) {
            space.lock(BIDI_NAME).acquire().close();
        }
        assertEquals(0, execute("--dir", dir.toString(), "--space", "payroll", "ls"));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("invoice\\u202efdp.exe\\u200d\\ufeff"), table);
        assertRawFree(table);
        out.reset();
        assertEquals(0, execute("--dir", dir.toString(), "--space", "payroll", "ls", "--json"));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"name\":\"invoice\\u202efdp.exe\\u200d\\ufeff\""), json);
        assertRawFree(json);
    }

    @Test
    void shouldEscapeFormatAndBidiCharactersInCheck() throws Exception {
        Path dir = spaces.file("spaces");
        try (LockSpace space = LockSpace.open(dir, "payroll")) {
            space.lock(BIDI_NAME).acquire().close();
        }
        // damage the lock's word (a participant outside the table), so that check names the object
        Path file = dir.resolve("payroll.space");
        byte[] all = Files.readAllBytes(file);
        byte[] utf8 = BIDI_NAME.getBytes(StandardCharsets.UTF_8);
        long word = -1;
        for (int i = 0; i < SpaceOptions.DEFAULT_CAPACITY && word < 0; i++) {
            int base = (int) LockSpaceLayout.slotOffset(SpaceOptions.DEFAULT_CAPACITY, i);
            if (ByteBuffer.wrap(all).order(ByteOrder.nativeOrder()).getInt(base + SlotDescriptor.NAME_LENGTH_OFFSET)
                    == utf8.length && Arrays.equals(Arrays.copyOfRange(all, base + SlotDescriptor.NAME_OFFSET,
                            base + SlotDescriptor.NAME_OFFSET + utf8.length), utf8)) {
                word = base + LockDescriptor.LOCK_WORD_OFFSET;
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0x0FFF), word);
        }
        assertEquals(ExitCodes.DATA_ERROR, execute("--dir", dir.toString(), "--space", "payroll", "check"));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("'invoice\\u202efdp.exe\\u200d\\ufeff'") && report.contains("problem: "), report);
        assertRawFree(report);
    }

    @Test
    void shouldEscapeC1ControlsAsWellAsC0() {
        // the API refuses controls in names, but a name read from shared memory is untrusted input
        String hostile = "a\u009B2Jb\u0085c\u001B[2Jd\u2066e";
        assertEquals("a\\u009b2Jb\\u0085c\\u001b[2Jd\\u2066e", Text.printable(hostile));
        StringBuilder json = new StringBuilder();
        Json.string(json, hostile);
        assertEquals("\"a\\u009b2Jb\\u0085c\\u001b[2Jd\\u2066e\"", json.toString());
    }

    private static void assertRawFree(String printed) {
        printed.chars().forEach(c -> assertFalse(c != '\n' && Text.mustEscape((char) c),
                "raw U+" + Integer.toHexString(c) + " printed in: " + printed));
    }

    private void assertOneLine(String... parts) {
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("futex-ra: "), e);
        for (String part : parts) {
            assertTrue(e.contains(part), "'" + part + "' missing from: " + e);
        }
    }

    private int execute(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }
}
