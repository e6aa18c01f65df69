package io.futexra.core;

import static io.futexra.core.EventDescriptor.EVENT_WORD_OFFSET;
import static io.futexra.core.HeaderDescriptor.OBJECT_COUNT_OFFSET;
import static io.futexra.core.HeaderDescriptor.REGISTRY_OFFSET;
import static io.futexra.core.HoldRecordDescriptor.RECORD_COUNT;
import static io.futexra.core.LockDescriptor.LOCK_WORD_OFFSET;
import static io.futexra.core.LockDescriptor.POLICY_OFFSET;
import static io.futexra.core.LockDescriptor.SPIN_LIMIT_OFFSET;
import static io.futexra.core.LockSpaceLayout.ENTRY_NAME_HASH_OFFSET;
import static io.futexra.core.LockSpaceLayout.ENTRY_STATE_OFFSET;
import static io.futexra.core.LockSpaceLayout.HEADER_LENGTH;
import static io.futexra.core.LockSpaceLayout.STATE_FREE;
import static io.futexra.core.LockSpaceLayout.STATE_READY;
import static io.futexra.core.SlotDescriptor.ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;
import static io.futexra.core.SlotDescriptor.KIND_OFFSET;
import static io.futexra.core.SlotDescriptor.NAME_LENGTH_OFFSET;
import static io.futexra.core.SlotDescriptor.NAME_MAX_LENGTH;
import static io.futexra.core.SlotDescriptor.NAME_OFFSET;
import static io.futexra.core.SlotDescriptor.OWNER_DIED_COUNT_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.NamedSemaphore;
import io.futexra.ObjectKind;
import io.futexra.SpaceFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a space file and reports everything that is not as the algorithms leave it: the
 * {@code fsck} of a lock space, for tests, the CLI and support.
 *
 * <p>It never maps the file: it reads it with positioned reads, so a truncated or corrupted file
 * cannot raise SIGBUS here, and it changes nothing. What it checks:
 * <ul>
 * <li>the header (magic, layout version, geometry, the file's real size), as {@code open} does;</li>
 * <li>every directory entry: its state is FREE or READY; a READY entry's name is valid UTF-8 of
 *     1 to 128 bytes without control characters, unique, hashes to the entry's stored hash, and is
 *     reachable by the lookup's linear probe (no FREE entry between its hash and its index);</li>
 * <li>every object: a known kind and kind parameters (policy and spin limit, permits, event
 *     mode); counters not negative, contended and owner-died acquisitions not above all
 *     acquisitions; the sleeper count not negative;</li>
 * <li>every futex word that names an owner — the registry mutex, lock and writer words, reader,
 *     permit and FAIR queue records, all by participant id — names an entry of the participant
 *     table, and if that participant is alive, its alive word (read with positioned reads from
 *     its process's alive file in the same directory, see {@link AliveFiles}) names a live thread: a word left holding the TID of a thread that is gone is a hold nobody will ever
 *     release (the robust list failed us). A word owned by a dead participant is not damage: the
 *     next acquirer takes it over and is told. A TID
 *     is checked in {@code /proc}, so only in this process's PID namespace; a thread reported dead
 *     is checked twice, the word re-read in between, so a holder that just exited (and whose word
 *     the kernel just released) is not reported;</li>
 * <li>the header's object count against the READY entries (a creator killed between publishing
 *     a slot and counting it leaves it one short: reported as a warning).</li>
 * <li>the participant table: if every entry names an alive word that holds a live TID, no further thread can
 *     use the space — a problem, named with what the operator does about it. Entries whose alive
 *     word names no thread of the process the entry records (forged, e.g. TID 1) are counted in
 *     the message, apart from entries of another PID namespace, which {@code /proc} here does not
 *     show (their owners' words are not checked against {@code /proc} either).
 *     Nothing repairs the table in place: a live participant cannot be told from a forged one with
 *     certainty, and marking a live one dead would hand its locks to a second holder.</li>
 * </ul>
 * What it cannot see: a live but hung or stopped holder (not dead, so not wrong), and a TID reused
 * by a new thread since its owner died (Linux recycles TIDs only after the whole PID range).
 */
public final class SpaceChecker {

    /** What the walk found: {@code problems} are damage, {@code warnings} benign leftovers. */
    public record Report(Path path, int slotCount, int objects, int heldWords, List<String> problems,
                         List<String> warnings) {

        /** Whether the space is valid: no problem found (warnings allowed). */
        public boolean isValid() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("space " + path + ": " + (isValid() ? "valid" : "INVALID") + ", "
                    + objects + " objects in " + slotCount + " slots, " + heldWords + " words held by live threads");
            problems.forEach(p -> out.append("\n  problem: ").append(p));
            warnings.forEach(w -> out.append("\n  warning: ").append(w));
            return out.toString();
        }
    }

    /** How many bytes of a slot the checker reads: the fields and every hold record. */
    private static final int SLOT_READ_LENGTH = HoldRecordDescriptor.recordOffset(RECORD_COUNT);

    private final Path path;
    private final FileChannel channel;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int heldWords;
    private int slotCount;

    private SpaceChecker(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Checks the space file at {@code path} (read only).
     *
     * @throws IOException if the file cannot be read at all
     */
    public static Report check(Path path) throws IOException {
        // never through a symlink, never a FIFO (whose open would block) or a device
        if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
            throw new IOException(path + " is not a regular file (a symlink, FIFO or device?): not a space file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return new SpaceChecker(path, channel).run();
        }
    }

    private Report run() throws IOException {
        long size = channel.size();
        if (size < HEADER_LENGTH) {
            problems.add("file is " + size + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
            return report(0, 0);
        }
        ByteBuffer header = read(0, HEADER_LENGTH);
        int slotCount;
        try {
            slotCount = SpaceFile.validate(path, header, size);
        } catch (SpaceFormatException e) {
            problems.add(e.getMessage());
            return report(0, 0);
        }
        this.slotCount = slotCount;
        checkParticipant("registry mutex", header.getInt(REGISTRY_OFFSET + LOCK_WORD_OFFSET));
        ByteBuffer directory = read(LockSpaceLayout.entryOffset(0), slotCount * LockSpaceLayout.DIRECTORY_ENTRY_LENGTH);
        int objects = 0;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < slotCount; i++) {
            int entry = i * LockSpaceLayout.DIRECTORY_ENTRY_LENGTH;
            int state = directory.getInt(entry + ENTRY_STATE_OFFSET);
            if (state == STATE_FREE) {
                continue;
            }
            if (state != STATE_READY) {
                problems.add("directory entry " + i + " has state " + state + " (neither FREE nor READY)");
                continue;
            }
            objects++;
            checkObject(i, slotCount, directory.getInt(entry + ENTRY_NAME_HASH_OFFSET), directory, names);
        }
        checkParticipantTable();
        int counted = header.getInt(OBJECT_COUNT_OFFSET);
        if (counted != objects) {
            (counted == objects - 1 ? warnings : problems).add("header counts " + counted + " objects, the directory"
                    + " holds " + objects + (counted == objects - 1 ? " (a creator died between publishing and"
                    + " counting)" : ""));
        }
        return report(slotCount, objects);
    }

    private Report report(int slotCount, int objects) {
        return new Report(path, slotCount, objects, heldWords, List.copyOf(problems), List.copyOf(warnings));
    }

    private void checkObject(int index, int slotCount, int storedHash, ByteBuffer directory, Set<String> names)
            throws IOException {
        long base = LockSpaceLayout.slotOffset(slotCount, index);
        ByteBuffer slot = read(base, SLOT_READ_LENGTH);
        String where = "slot " + index;
        String name = name(slot, where);
        if (name != null) {
            where = "slot " + index + " '" + name + "'";
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            if (Names.hash(utf8) != storedHash) {
                problems.add(where + ": directory hash 0x" + Integer.toHexString(storedHash) + " is not the name's");
            } else if (!reachable(index, slotCount, storedHash, directory)) {
                problems.add(where + ": a FREE entry lies between its hash and its index: lookups cannot find it");
            }
            if (!names.add(name)) {
                problems.add(where + ": the name appears twice");
            }
        }
        ObjectKind kind = ObjectKind.fromCode(slot.getInt(KIND_OFFSET));
        if (kind == null) {
            problems.add(where + ": unknown kind " + slot.getInt(KIND_OFFSET));
            return;
        }
        checkCounters(slot, where, kind);
        final String at = where;
        switch (kind) {
            case LOCK -> {
                LockPolicy policy = checkLockOptions(slot, at);
                checkParticipant(at + " lock word", slot.getInt(LOCK_WORD_OFFSET));
                if (policy == LockPolicy.FAIR) {
                    checkRecords(slot, RECORD_COUNT, at + " FAIR queue record");
                }
            }
            case READ_WRITE_LOCK -> {
                checkParticipant(at + " writer word", slot.getInt(LOCK_WORD_OFFSET));
                checkRecords(slot, RECORD_COUNT, at + " reader record");
            }
            case SEMAPHORE -> {
                int permits = slot.getInt(SemaphoreDescriptor.PERMITS_OFFSET);
                if (permits < 1 || permits > NamedSemaphore.MAX_PERMITS) {
                    problems.add(at + ": permit count " + permits + " out of 1.." + NamedSemaphore.MAX_PERMITS);
                    return;
                }
                checkRecords(slot, permits, at + " permit record");
                for (int r = permits; r < RECORD_COUNT; r++) {
                    if (slot.getInt(HoldRecordDescriptor.recordOffset(r)) != 0) {
                        problems.add(at + ": record " + r + " beyond its " + permits + " permits is in use");
                    }
                }
            }
            case EVENT -> {
                EventMode mode = EventMode.fromCode(slot.getInt(EventDescriptor.MODE_OFFSET));
                if (mode == null) {
                    problems.add(at + ": unknown event mode " + slot.getInt(EventDescriptor.MODE_OFFSET));
                } else if (mode == EventMode.AUTO_RESET && slot.getInt(EVENT_WORD_OFFSET) < 0) {
                    problems.add(at + ": negative pending signal count " + slot.getInt(EVENT_WORD_OFFSET));
                } else if (mode == EventMode.AUTO_RESET && slot.getInt(EVENT_WORD_OFFSET) > ShmNamedEvent.MAX_PENDING) {
                    problems.add(at + ": pending signal count " + slot.getInt(EVENT_WORD_OFFSET) + " above the "
                            + ShmNamedEvent.MAX_PENDING + " any signal leaves (written by something else; a waiter"
                            + " clamps it)");
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    private String name(ByteBuffer slot, String where) {
        int length = slot.getInt(NAME_LENGTH_OFFSET);
        if (length < 1 || length > NAME_MAX_LENGTH) {
            problems.add(where + ": name length " + length + " out of 1.." + NAME_MAX_LENGTH);
            return null;
        }
        byte[] bytes = new byte[length];
        slot.get(NAME_OFFSET, bytes);
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(where + ": name is not valid UTF-8");
            return null;
        }
        try {
            Names.checkObjectName(name);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
        return name;
    }

    /** Whether lookup's probe from {@code hash} reaches {@code index} before a FREE entry. */
    private static boolean reachable(int index, int slotCount, int hash, ByteBuffer directory) {
        for (int i = 0; i < slotCount; i++) {
            int probe = Math.floorMod(hash + i, slotCount);
            if (probe == index) {
                return true;
            }
            if (directory.getInt(probe * LockSpaceLayout.DIRECTORY_ENTRY_LENGTH + ENTRY_STATE_OFFSET) == STATE_FREE) {
                return false;
            }
        }
        return false;
    }

    private LockPolicy checkLockOptions(ByteBuffer slot, String where) {
        LockPolicy policy = LockPolicy.fromCode(slot.getInt(POLICY_OFFSET));
        try {
            new LockOptions(policy, slot.getInt(SPIN_LIMIT_OFFSET));
            return policy;
        } catch (RuntimeException e) {
            problems.add(where + ": policy/spin fields " + slot.getInt(POLICY_OFFSET) + "/"
                    + slot.getInt(SPIN_LIMIT_OFFSET) + " invalid: " + e.getMessage());
            return null;
        }
    }

    private void checkCounters(ByteBuffer slot, String where, ObjectKind kind) {
        long origin = slot.getLong(SlotDescriptor.TOKEN_ORIGIN_OFFSET);
        long token = slot.getLong(FENCING_TOKEN_OFFSET);
        long shared = slot.getLong(ACQUISITIONS_OFFSET);
        if (token < origin || origin < 0) {
            problems.add(where + ": fencing token " + token + " below its origin " + origin
                    + " (tokens start at the object's creation time in nanoseconds and only grow)");
        }
        // exclusive acquisitions and permits are counted by the fencing token since its origin; the field
        // counts the other shared ones
        long acquisitions = kind == ObjectKind.LOCK || kind == ObjectKind.READ_WRITE_LOCK
                || kind == ObjectKind.SEMAPHORE ? shared + token - origin : shared;
        long contended = slot.getLong(CONTENDED_ACQUISITIONS_OFFSET);
        long died = slot.getLong(OWNER_DIED_COUNT_OFFSET);
        if (shared < 0 || contended < 0 || died < 0 || token < 0) {
            problems.add(where + ": negative counter (acquisitions " + acquisitions + ", contended " + contended
                    + ", owner died " + died + ", token " + token + ")");
        } else if (contended > acquisitions || died > acquisitions) {
            problems.add(where + ": " + contended + " contended and " + died + " owner-died acquisitions out of only "
                    + acquisitions);
        }
        if (slot.getInt(SLEEPERS_OFFSET) < 0) {
            problems.add(where + ": negative sleeper count " + slot.getInt(SLEEPERS_OFFSET));
        }
    }

    private void checkRecords(ByteBuffer slot, int count, String what) throws IOException {
        for (int r = 0; r < count; r++) {
            int offset = HoldRecordDescriptor.recordOffset(r);
            if (checkParticipant(what + " " + r, slot.getInt(offset)) && slot.getInt(offset + HoldRecordDescriptor.DEPTH_OFFSET) < 0) {
                problems.add(what + " " + r + ": negative depth " + slot.getInt(offset + HoldRecordDescriptor.DEPTH_OFFSET));
            }
        }
    }

    private interface WordReader {
        int read() throws IOException;
    }

    private boolean checkOwner(String what, int word, WordReader reread) throws IOException {
        int tid = word & RobustMutex.TID_MASK;
        if (tid == 0) {
            return false;
        }
        if (isAlive(tid)) {
            heldWords++;
            return true;
        }
        int again = reread.read();
        if ((again & RobustMutex.TID_MASK) == tid && !isAlive(tid)) {
            problems.add(what + " = 0x" + Integer.toHexString(again) + " is held by tid " + tid
                    + ", a thread that no longer exists: nobody will release it");
        }
        return false;
    }

    /**
     * Checks a word that holds a participant id (lock, writer, registry and record words): the id names an
     * entry of the table; if that participant is alive its alive word must name a live thread. A
     * word owned by a dead participant is no damage: the next acquirer takes it over, told.
     */
    private boolean checkParticipant(String what, int word) throws IOException {
        int id = word & RobustMutex.TID_MASK;
        if (id == 0) {
            return false;
        }
        int index = Participants.indexOf(id, ParticipantDescriptor.participantCount(slotCount));
        if (index < 0) {
            problems.add(what + " = 0x" + Integer.toHexString(word) + " names participant " + ((id & Participants.INDEX_MASK) - 1)
                    + ", outside the table of " + ParticipantDescriptor.participantCount(slotCount));
            return false;
        }
        long entry = LockSpaceLayout.participantOffset(slotCount, index);
        ByteBuffer fields = read(entry, ParticipantDescriptor.PARTICIPANT_LENGTH);
        int generation = fields.getInt(ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET) & Participants.GENERATION_MASK;
        long claim = fields.getLong(ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
        int uid = fields.getInt(ParticipantDescriptor.PARTICIPANT_UID_OFFSET);
        long inode = fields.getLong(ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET);
        int a = aliveWord(claim, uid, inode);
        if (generation != ((id >>> Participants.INDEX_BITS) & Participants.GENERATION_MASK) || !Participants.live(a)) {
            return false; // its owner is gone: abandoned, recovered by the next acquirer
        }
        if (!ObjectReader.inThisPidNamespace(fields.getLong(ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET))) {
            heldWords++; // a thread of another PID namespace: /proc here cannot tell whether it lives
            return true;
        }
        return checkOwner(what + "'s owner (participant " + index + ") alive word", a, () -> aliveWord(claim, uid, inode));
    }

    /**
     * The alive word {@code claim} names, read (never mapped) from its alive file in the space's
     * directory; 0 if it names none: no such file, not a regular file of user {@code uid} writable by
     * that user alone, not inode {@code inode}, a word past its end, or of another serial.
     */
    private int aliveWord(long claim, int uid, long inode) {
        int fileId = ParticipantDescriptor.claimFileId(claim);
        if (fileId == 0) {
            return 0;
        }
        Path file = path.resolveSibling(AliveFileDescriptor.fileName(fileId));
        try {
            Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid,ino", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            if ((mode & FileStatus.S_IFMT) != FileStatus.S_IFREG || (Integer) attributes.get("uid") != uid
                    || (mode & 022) != 0 || (Long) attributes.get("ino") != inode) {
                return 0;
            }
            try (FileChannel alive = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer pair = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
                long at = AliveFileDescriptor.aliveOffset(ParticipantDescriptor.claimWordIndex(claim));
                while (pair.hasRemaining() && alive.read(pair, at + pair.position()) >= 0) {
                    // positioned reads until both words are read
                }
                if (pair.hasRemaining() || (pair.getInt(AliveFileDescriptor.SERIAL_DELTA) & ParticipantDescriptor.SERIAL_MASK)
                        != ParticipantDescriptor.claimSerial(claim)) {
                    return 0;
                }
                return pair.getInt(0);
            }
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    /**
     * Reports a full participant table: every alive word holding a TID (and not OWNER_DIED), so
     * that registration refuses every new thread.
     */
    private void checkParticipantTable() throws IOException {
        int count = ParticipantDescriptor.participantCount(slotCount);
        int taken = 0;
        int unmatched = 0;
        int elsewhere = 0;
        String example = "";
        for (int index = 0; index < count; index++) {
            ByteBuffer fields = read(LockSpaceLayout.participantOffset(slotCount, index), ParticipantDescriptor.PARTICIPANT_LENGTH);
            int a = aliveWord(fields.getLong(ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET),
                    fields.getInt(ParticipantDescriptor.PARTICIPANT_UID_OFFSET),
                    fields.getLong(ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET));
            if ((a & RobustMutex.TID_MASK) == 0) {
                return; // a free entry: a new thread can still register
            }
            taken++;
            int tid = a & RobustMutex.TID_MASK;
            int pid = fields.getInt(ParticipantDescriptor.PARTICIPANT_PID_OFFSET);
            if (!ObjectReader.inThisPidNamespace(fields.getLong(ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET))) {
                elsewhere++; // another PID namespace's thread: not visible in /proc here
            } else if (fields.getInt(ParticipantDescriptor.PARTICIPANT_TID_OFFSET) != tid || !isThreadOf(pid, tid)) {
                if (unmatched++ == 0) {
                    example = " (e.g. entry " + index + ": alive word tid " + tid + ", entry records pid " + pid
                            + " tid " + fields.getInt(ParticipantDescriptor.PARTICIPANT_TID_OFFSET) + ")";
                }
            }
        }
        String file = path.getFileName().toString();
        String space = file.endsWith(SpaceFile.SUFFIX) ? file.substring(0, file.length() - SpaceFile.SUFFIX.length())
                : file;
        problems.add("participant table full: all " + taken + " entries hold a live thread id, so no further thread"
                + " can use this space; " + unmatched + " of them name no thread of the process the entry records"
                + example + " (forged by a writer of the file), " + elsewhere + " are threads of other PID namespaces"
                + " (not checkable from here). If fewer than "
                + taken + " threads use the space ('fuser " + path + "' lists its processes), a writer of the file"
                + " filled the table: stop the processes that use the space, remove it ('futex-ra --space " + space
                + " rm'), let the next opener create it afresh, and make sure only trusted users can write it (its"
                + " mode and its directory's). No tool repairs the table in place: a live participant cannot be told"
                + " from a forged one with certainty, and marking a live one dead would give its locks away.");
    }

    /** Whether {@code tid} is a live thread of process {@code pid}, as this PID namespace's {@code /proc} shows. */
    private static boolean isThreadOf(int pid, int tid) {
        return pid > 0 && Files.isDirectory(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid)))
                && isAlive(tid);
    }

    /** Whether thread {@code tid} exists and is not a zombie (whose robust list the kernel has walked). */
    static boolean isAlive(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(tid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    private ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break; // past the end: the rest reads as zeros
            }
        }
        return buffer.clear();
    }
}
