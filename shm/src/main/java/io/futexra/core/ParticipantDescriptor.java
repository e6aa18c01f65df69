package io.futexra.core;

/**
 * The participant table at the end of a space file ({@link Participants}): participantCount
 * entries of PARTICIPANT_LENGTH bytes, entry {@code index} at {@code LockSpaceLayout.participantOffset}.
 *
 * <pre>
 *   0                   4                   8
 *   +---------------------------------------+
 *   |  CLAIM (long)                         |  0    who owns the entry, compare-and-set by claimers:
 *   +-------------------+-------------------+       alive file id (32) | word index (14) | serial (18),
 *   |  GENERATION       |  KIND             |  8    0 = never claimed (see below); bumped by each
 *   +-------------------+-------------------+       claimer; 1 = a thread, 2 = the process (keeper)
 *   |  PID              |  TID              |  16   the owner's pid and kernel thread id (listings)
 *   +-------------------+-------------------+
 *   |  PID_NAMESPACE (long)                 |  24   inode of the owner's /proc/self/ns/pid: the
 *   +-------------------+-------------------+       namespace PID and TID are numbers of (0: unknown)
 *   |  UID              |  reserved, 0      |  32   the owner's effective uid: its alive file's owner
 *   +-------------------+-------------------+
 *   |  ALIVE_INODE (long)                   |  40   the alive file's inode number, so that a reader
 *   +---------------------------------------+       tells it from a later file of the same id
 *   |  reserved, 0                          |  48 .. 63
 *   +---------------------------------------+
 * </pre>
 *
 * <p>The entry holds no alive word: the word the kernel marks when the owner dies is in the
 * owner's own alive file in the space's directory ({@link AliveFileDescriptor}), which CLAIM
 * names. CLAIM = {@code fileId << 32 | wordIndex << WORD_INDEX_SHIFT | serial}: the file
 * {@code .futex-ra-alive-<fileId as 8 hex digits>}, its word {@code wordIndex}, whose SERIAL must
 * equal {@code serial} (the owner bumps it each time it gives the word to a new participation).
 * Every field is a number from a file anyone who may write the space may write: checked before use.
 */
public final class ParticipantDescriptor {

    /** The most participants a space has (a space of 2048 slots or more). */
    public static final int MAX_PARTICIPANTS = 2048;
    /** The fewest (a small space). */
    public static final int MIN_PARTICIPANTS = 256;
    public static final int PARTICIPANT_LENGTH = 64;
    public static final int PARTICIPANT_CLAIM_OFFSET = 0;
    public static final int PARTICIPANT_GENERATION_OFFSET = 8;
    public static final int PARTICIPANT_KIND_OFFSET = 12;
    public static final int PARTICIPANT_PID_OFFSET = 16;
    public static final int PARTICIPANT_TID_OFFSET = 20;
    public static final int PARTICIPANT_PID_NAMESPACE_OFFSET = 24;
    public static final int PARTICIPANT_UID_OFFSET = 32;
    public static final int PARTICIPANT_RESERVED_OFFSET = 36;
    public static final int PARTICIPANT_ALIVE_INODE_OFFSET = 40;
    public static final int PARTICIPANT_RESERVED_TAIL_OFFSET = 48;

    /** CLAIM's fields. */
    public static final int SERIAL_BITS = 18;
    public static final int SERIAL_MASK = (1 << SERIAL_BITS) - 1;
    public static final int WORD_INDEX_SHIFT = SERIAL_BITS;
    public static final int WORD_INDEX_MASK = (1 << 14) - 1;

    private ParticipantDescriptor() {
    }

    /**
     * How many participants (threads using the space at once, over all processes) a space of
     * {@code slotCount} slots has room for: as many as slots, within MIN_PARTICIPANTS to
     * MAX_PARTICIPANTS.
     */
    public static int participantCount(int slotCount) {
        return Math.max(MIN_PARTICIPANTS, Math.min(MAX_PARTICIPANTS, slotCount));
    }

    /** The CLAIM value naming word {@code wordIndex} of alive file {@code fileId} at {@code serial}. */
    public static long claim(int fileId, int wordIndex, int serial) {
        return (long) fileId << 32 | (long) (wordIndex & WORD_INDEX_MASK) << WORD_INDEX_SHIFT | (serial & SERIAL_MASK);
    }

    /** The alive file a CLAIM names (0: none). */
    public static int claimFileId(long claim) {
        return (int) (claim >>> 32);
    }

    public static int claimWordIndex(long claim) {
        return (int) (claim >>> WORD_INDEX_SHIFT) & WORD_INDEX_MASK;
    }

    public static int claimSerial(long claim) {
        return (int) claim & SERIAL_MASK;
    }
}
