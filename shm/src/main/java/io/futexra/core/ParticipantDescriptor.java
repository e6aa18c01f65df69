package io.futexra.core;

/**
 * The participant table at the end of a space file ({@link Participants}): participantCount
 * entries, two per page, page {@code index / 2} at {@code LockSpaceLayout.participantPageOffset}.
 * Entry k = index % 2 of its page:
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  GENERATION       |  PID              |  0 + 64k    bumped by each claimer before its alive
 *   +-------------------+-------------------+             word goes live; the owner's pid
 *   |  TID              |  KIND             |  8 + 64k    owner's kernel thread id (listings);
 *   +-------------------+-------------------+             1 = a thread, 2 = the process (keeper)
 *   |  PID_NAMESPACE (long)                 |  16 + 64k   inode of the owner's /proc/self/ns/pid: the
 *   +---------------------------------------+             namespace PID and TID are numbers of (0: unknown)
 *   |  reserved, 0                          |  24 + 64k .. 63 + 64k
 *   +---------------------------------------+
 *   |  reserved, 0                          |  128 .. 4071
 *   +-------------------+-------------------+
 *   |  ALIVE (k = 0)    |  reserved, 0      |  4072       owner TID | WAITERS | OWNER_DIED;
 *   |  reserved, 0 (8 bytes)                |  4080       0 = never used
 *   |  ALIVE (k = 1)    |  reserved, 0      |  4088
 *   +-------------------+-------------------+  4096
 *   |  in the owner's own mapping only: a private page, holding the robust-list node of the
 *   |  alive word at ALIVE + ROBUST_PREV_OFFSET (prev) and ALIVE + ROBUST_NEXT_OFFSET (next)
 * </pre>
 * The alive words sit in the page's last 24 bytes so that, in the owner's two-page mapping
 * [this page][a private page], glibc's node fields at alive + 24 and alive + 32 fall in the
 * private page: nothing the kernel's death walk follows is in the file.
 *
 * <p>Not listed by {@code objects()} itself: a lock's holder pid, tid and thread come from the
 * entry its word names (only a positive PID/TID, and only while the entry is live). A word's id
 * names an entry by its low 12 bits and a GENERATION by the next 18; an id whose index is outside
 * the table, or whose generation or alive word does not match, reads as dead. {@code SpaceChecker}
 * reads the entry an object word names: index in the table, and if the entry is live, its TID a
 * live thread.
 */
public final class ParticipantDescriptor {

    /** The most participants a space has (a space of 2048 slots or more): two per page of the table. */
    public static final int MAX_PARTICIPANTS = 2048;
    /** The fewest (a small space): its table is then 512 KiB. */
    public static final int MIN_PARTICIPANTS = 256;
    public static final int PARTICIPANT_GENERATION_OFFSET = 0;
    public static final int PARTICIPANT_PID_OFFSET = 4;
    public static final int PARTICIPANT_TID_OFFSET = 8;
    public static final int PARTICIPANT_KIND_OFFSET = 12;
    public static final int PARTICIPANT_PID_NAMESPACE_OFFSET = 16;
    /** Distance between the two participants' fields in one page. */
    public static final int PARTICIPANT_FIELDS_STRIDE = 64;
    /** The first participant's alive word; the second's is ALIVE_STRIDE further. */
    public static final int PARTICIPANT_ALIVE_OFFSET = LockSpaceLayout.PAGE - 24;
    public static final int PARTICIPANT_ALIVE_STRIDE = 16;
    /**
     * From an alive word to its robust-list node's {@code prev} and {@code next} fields, where
     * glibc's {@code pthread_mutex_t} keeps them: in the private page after the alive word's page.
     */
    public static final int ROBUST_PREV_OFFSET = 24;
    public static final int ROBUST_NEXT_OFFSET = 32;
    /** glibc's {@code futex_offset}: from a robust-list node back to its futex word (the alive word). */
    public static final long ROBUST_FUTEX_OFFSET = -ROBUST_NEXT_OFFSET;

    private ParticipantDescriptor() {
    }

    /**
     * How many participants (threads using the space at once, over all processes) a space of
     * {@code slotCount} slots has room for: as many as slots, within MIN_PARTICIPANTS to
     * MAX_PARTICIPANTS, so that a small space stays small.
     */
    public static int participantCount(int slotCount) {
        return Math.max(MIN_PARTICIPANTS, Math.min(MAX_PARTICIPANTS, slotCount));
    }

    /** Offset of participant {@code index}'s fields within its page. */
    public static int participantFields(int index) {
        return (index % 2) * PARTICIPANT_FIELDS_STRIDE;
    }

    /** Offset of participant {@code index}'s alive word within its page. */
    public static int participantAlive(int index) {
        return PARTICIPANT_ALIVE_OFFSET + (index % 2) * PARTICIPANT_ALIVE_STRIDE;
    }
}
