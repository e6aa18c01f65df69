package io.futexra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.ObjectKind;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout descriptors against each other and against the code: every field a descriptor
 * declares has a length here (a new field must be added, with its length, or this fails); the
 * fields each kind uses do not overlap and fit in the slot; the header and a hold record are tiled
 * exactly, every byte a field or labelled reserved, and so is a participant entry; the alive words
 * leave their robust-list nodes in the private page; and no class of the core declares a file offset of its own or adds a bare
 * number to a slot offset: every offset the code uses comes from a descriptor.
 */
class LayoutDescriptorTest {

    /** Every offset constant's field length, by descriptor and name. */
    private static final Map<String, Integer> LENGTHS = new LinkedHashMap<>();

    static {
        length(HeaderDescriptor.class, 8, "MAGIC_OFFSET", "FILE_LENGTH_OFFSET", "CREATED_MILLIS_OFFSET",
                "PID_NAMESPACE_OFFSET", "RESERVED_OFFSET");
        length(HeaderDescriptor.class, 4, "LAYOUT_VERSION_OFFSET", "HEADER_LENGTH_OFFSET", "SLOT_LENGTH_OFFSET",
                "SLOT_COUNT_OFFSET", "CREATOR_PID_OFFSET", "OBJECT_COUNT_OFFSET");
        length(HeaderDescriptor.class, HeaderDescriptor.REGISTRY_LENGTH, "REGISTRY_OFFSET");
        length(SlotDescriptor.class, 4, "KIND_OFFSET", "SLEEPERS_OFFSET", "NAME_LENGTH_OFFSET",
                "RESERVED_AFTER_RECORDS_CHANGED_OFFSET", "RESERVED_AFTER_WATCHERS_OFFSET");
        length(SlotDescriptor.class, 8, "TOKEN_ORIGIN_OFFSET", "FENCING_TOKEN_OFFSET", "ACQUISITIONS_OFFSET", "CONTENDED_ACQUISITIONS_OFFSET",
                "OWNER_DIED_COUNT_OFFSET");
        length(SlotDescriptor.class, SlotDescriptor.RESERVED_NODE_LENGTH, "RESERVED_NODE_OFFSET");
        length(SlotDescriptor.class, SlotDescriptor.NAME_MAX_LENGTH, "NAME_OFFSET");
        length(SlotDescriptor.class, SlotDescriptor.SLOT_LENGTH - SlotDescriptor.RESERVED_TAIL_OFFSET,
                "RESERVED_TAIL_OFFSET");
        length(LockDescriptor.class, 4, "LOCK_WORD_OFFSET", "RESERVED_AFTER_KIND_OFFSET", "DEATHS_WORD_OFFSET", "POLICY_OFFSET",
                "SPIN_LIMIT_OFFSET", "WATCHERS_OFFSET");
        length(LockDescriptor.class, 8, "HELD_SINCE_MILLIS_OFFSET", "DEAD_OWNER_TOKEN_OFFSET");
        length(FairLockDescriptor.class, 4, "ARRIVALS_OFFSET", "TURN_OFFSET");
        length(ReadWriteLockDescriptor.class, 8, "READER_MASK_OFFSET");
        length(SemaphoreDescriptor.class, 4, "PERMITS_OFFSET");
        length(EventDescriptor.class, 4, "MODE_OFFSET", "EVENT_WORD_OFFSET");
        length(HoldRecordDescriptor.class, 4, "RECORDS_CHANGED_OFFSET", "WORD_OFFSET", "DEPTH_OFFSET", "WAKE_OFFSET",
                "SEQ_OFFSET");
        length(HoldRecordDescriptor.class, HoldRecordDescriptor.RECORD_COUNT * HoldRecordDescriptor.RECORD_LENGTH,
                "RECORDS_OFFSET");
        length(HoldRecordDescriptor.class, HoldRecordDescriptor.RECORD_LENGTH - HoldRecordDescriptor.RESERVED_TAIL_OFFSET,
                "RESERVED_TAIL_OFFSET");
        length(ParticipantDescriptor.class, 4, "PARTICIPANT_GENERATION_OFFSET", "PARTICIPANT_PID_OFFSET",
                "PARTICIPANT_TID_OFFSET", "PARTICIPANT_KIND_OFFSET", "PARTICIPANT_UID_OFFSET", "PARTICIPANT_RESERVED_OFFSET");
        length(ParticipantDescriptor.class, 8, "PARTICIPANT_CLAIM_OFFSET", "PARTICIPANT_PID_NAMESPACE_OFFSET",
                "PARTICIPANT_ALIVE_INODE_OFFSET");
        length(ParticipantDescriptor.class, ParticipantDescriptor.PARTICIPANT_LENGTH
                - ParticipantDescriptor.PARTICIPANT_RESERVED_TAIL_OFFSET, "PARTICIPANT_RESERVED_TAIL_OFFSET");
        length(AliveFileDescriptor.class, 8, "ALIVE_OFFSET", "ROBUST_PREV_OFFSET", "ROBUST_NEXT_OFFSET");
    }

    private static void length(Class<?> descriptor, int bytes, String... names) {
        for (String n : names) {
            LENGTHS.put(descriptor.getSimpleName() + "." + n, bytes);
        }
    }

    /** One field: where it starts and how long it is. */
    private record Span(String name, int offset, int length) {
        int end() {
            return offset + length;
        }
    }

    @Test
    void shouldGiveEveryDeclaredFieldALength() throws Exception {
        for (Class<?> d : List.of(HeaderDescriptor.class, SlotDescriptor.class, LockDescriptor.class,
                FairLockDescriptor.class, ReadWriteLockDescriptor.class, SemaphoreDescriptor.class, EventDescriptor.class,
                HoldRecordDescriptor.class, ParticipantDescriptor.class, AliveFileDescriptor.class)) {
            for (Span s : spans(d)) {
                assertTrue(s.length() > 0, s.name());
            }
        }
    }

    @Test
    void shouldTileTheHeaderExactly() throws Exception {
        List<Span> header = spans(HeaderDescriptor.class);
        assertTiled(header, 0, HeaderDescriptor.REGISTRY_OFFSET + HeaderDescriptor.REGISTRY_LENGTH);
        assertTrue(HeaderDescriptor.REGISTRY_OFFSET + LockDescriptor.WATCHERS_OFFSET + 4
                <= HeaderDescriptor.REGISTRY_OFFSET + HeaderDescriptor.REGISTRY_LENGTH, "the registry's WATCHERS inside it");
        assertTrue(HeaderDescriptor.REGISTRY_OFFSET + HeaderDescriptor.REGISTRY_LENGTH <= HeaderDescriptor.HEADER_LENGTH);
    }

    @Test
    void shouldTileAHoldRecordExactlyAndFitTheRecordsInTheSlot() throws Exception {
        List<Span> record = new ArrayList<>();
        for (Span s : spans(HoldRecordDescriptor.class)) {
            if (!s.name().endsWith("RECORDS_CHANGED_OFFSET") && !s.name().endsWith("RECORDS_OFFSET")) {
                record.add(s); // the fields of one record (the other two are slot offsets)
            }
        }
        assertTiled(record, 0, HoldRecordDescriptor.RECORD_LENGTH);
        assertEquals(HoldRecordDescriptor.recordOffset(HoldRecordDescriptor.RECORD_COUNT), SlotDescriptor.RESERVED_TAIL_OFFSET);
    }

    @Test
    void shouldKeepEachKindsFieldsApartAndInsideTheSlot() throws Exception {
        List<Span> common = spans(SlotDescriptor.class);
        List<Span> lock = spans(LockDescriptor.class);
        List<Span> records = List.of(span(HoldRecordDescriptor.class, "RECORDS_CHANGED_OFFSET"),
                span(HoldRecordDescriptor.class, "RECORDS_OFFSET"));
        Map<String, List<Span>> kinds = new LinkedHashMap<>();
        kinds.put("lock", concat(common, lock));
        kinds.put("fair lock", concat(common, lock, spans(FairLockDescriptor.class), records));
        kinds.put("read/write lock", concat(common, lock, records));
        kinds.put("semaphore", concat(common, spans(SemaphoreDescriptor.class), records));
        kinds.put("event", concat(common, spans(EventDescriptor.class)));
        for (Map.Entry<String, List<Span>> kind : kinds.entrySet()) {
            assertApartInside(kind.getKey(), kind.getValue(), SlotDescriptor.SLOT_LENGTH);
        }
    }

    @Test
    void shouldListEachKindThroughFieldsItsDescriptorDeclares() throws Exception {
        for (ObjectKind kind : ObjectKind.values()) {
            ListedFields f = ListedFields.of(kind);
            assertNotNull(f, kind.name());
            for (int offset : new int[] {f.ownerWord(), f.heldSince(), f.watchers(), f.policy(), f.spinLimit(),
                f.permits(), f.mode(), f.eventWord()}) {
                assertTrue(offset == ListedFields.NONE || declaredOffset(offset), kind + " lists offset " + offset
                        + ", which no kind descriptor declares");
            }
        }
    }

    @Test
    void shouldTileAParticipantEntryExactly() throws Exception {
        assertTiled(spans(ParticipantDescriptor.class), 0, ParticipantDescriptor.PARTICIPANT_LENGTH);
        assertEquals(0, LockSpaceLayout.PAGE % ParticipantDescriptor.PARTICIPANT_LENGTH, "entries never straddle a page");
    }

    @Test
    void shouldKeepTheAliveWordsInTheFilePageAndTheirNodesInThePrivateOne() {
        for (int index = 0; index < 2; index++) {
            int alive = AliveFileDescriptor.aliveInPage(index);
            assertTrue(alive + AliveFileDescriptor.SERIAL_DELTA + 4 <= LockSpaceLayout.PAGE, "word " + index + " in its page");
            assertEquals(0, alive % 8, "alive word and serial: one aligned pair");
            assertTrue(alive + AliveFileDescriptor.ROBUST_PREV_OFFSET >= LockSpaceLayout.PAGE,
                    "node " + index + "'s prev field in the private page");
        }
        assertEquals(-AliveFileDescriptor.ROBUST_NEXT_OFFSET, AliveFileDescriptor.ROBUST_FUTEX_OFFSET);
        assertTrue(AliveFileDescriptor.MAX_WORDS - 1 <= ParticipantDescriptor.WORD_INDEX_MASK, "a claim names every word");
        long claim = ParticipantDescriptor.claim(0xdeadbeef, AliveFileDescriptor.MAX_WORDS - 1, ParticipantDescriptor.SERIAL_MASK);
        assertEquals(0xdeadbeef, ParticipantDescriptor.claimFileId(claim));
        assertEquals(AliveFileDescriptor.MAX_WORDS - 1, ParticipantDescriptor.claimWordIndex(claim));
        assertEquals(ParticipantDescriptor.SERIAL_MASK, ParticipantDescriptor.claimSerial(claim));
    }

    /**
     * No core class but the descriptors declares a file offset, or adds a bare number to a slot,
     * word or record offset. Exempt: {@link RobustList}'s and {@link FutexSleep}'s offsets, which
     * are into this thread's private memory (the robust-list head, the sleep block), not the file.
     */
    @Test
    void shouldTakeEveryOffsetTheCoreUsesFromADescriptor() throws IOException {
        Pattern declared = Pattern.compile("static final (int|long) \\w+_OFFSET\\s*=");
        Pattern bare = Pattern.compile("\\b(base|word|slotBase|recordWord|fields|page|alive)\\s*\\+\\s*\\d");
        Path core = Path.of("src/main/java/io/futexra/core");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(core)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith("Descriptor.java") || name.equals("LockSpaceLayout.java")
                        || name.equals("RobustList.java") || name.equals("FutexSleep.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.trim().startsWith("*") || line.trim().startsWith("//")) {
                        continue; // documentation
                    }
                    Matcher d = declared.matcher(line);
                    Matcher b = bare.matcher(line);
                    if (d.find() || b.find()) {
                        found.add(name + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "offsets not from a descriptor:\n" + String.join("\n", found));
        assertTrue(Files.exists(core.resolve("SlotDescriptor.java")), "the scan must have found the sources");
    }

    private static boolean declaredOffset(int offset) throws IllegalAccessException {
        for (Class<?> d : List.of(LockDescriptor.class, SemaphoreDescriptor.class, EventDescriptor.class)) {
            for (Span s : spans(d)) {
                if (s.offset() == offset) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The descriptor's {@code *_OFFSET} constants, each with its length from {@link #LENGTHS}. */
    private static List<Span> spans(Class<?> descriptor) throws IllegalAccessException {
        List<Span> out = new ArrayList<>();
        for (Field f : descriptor.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getName().endsWith("_OFFSET")
                    && f.getType() == int.class) {
                String key = descriptor.getSimpleName() + "." + f.getName();
                Integer length = LENGTHS.get(key);
                assertNotNull(length, key + " has no length in this test: add it (and to the diagram)");
                out.add(new Span(key, f.getInt(null), length));
            }
        }
        return out;
    }

    private static Span span(Class<?> descriptor, String name) throws IllegalAccessException {
        return spans(descriptor).stream().filter(s -> s.name().endsWith("." + name)).findFirst().orElseThrow();
    }

    @SafeVarargs
    private static List<Span> concat(List<Span>... parts) {
        List<Span> out = new ArrayList<>();
        for (List<Span> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    private static void assertApartInside(String what, List<Span> spans, int limit) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::offset));
        for (int i = 0; i < sorted.size(); i++) {
            Span s = sorted.get(i);
            assertTrue(s.offset() >= 0 && s.end() <= limit, what + ": " + s + " outside 0.." + limit);
            assertEquals(0, s.offset() % Math.min(s.length(), 8), what + ": " + s + " not naturally aligned");
            if (i > 0) {
                Span before = sorted.get(i - 1);
                assertTrue(before.end() <= s.offset(), what + ": " + before + " overlaps " + s);
            }
        }
    }

    private static void assertTiled(List<Span> spans, int from, int to) {
        assertApartInside("tiling", spans, to);
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::offset));
        int at = from;
        for (Span s : sorted) {
            assertEquals(at, s.offset(), "a gap before " + s + ": every byte must be a field or labelled reserved");
            at = s.end();
        }
        assertEquals(to, at, "the fields end before " + to);
    }
}
