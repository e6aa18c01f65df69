package io.futexra.core;

/**
 * Offsets and lengths of a lock-space file: a header page, a directory of slot states, a
 * table of fixed-size slots, one per named object, then the participant table (see
 * {@link Participants}). Every multi-byte field is in the machine's
 * native byte order (the kernel reads the futex words); every field is naturally aligned; slots
 * are page aligned.
 *
 * <pre>
 * Header (HEADER_LENGTH = 4096 bytes)
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |          MAGIC "FUTEXRA1" (long)      |  0
 *   +-------------------+-------------------+
 *   |  LAYOUT_VERSION   |  HEADER_LENGTH    |  8
 *   +-------------------+-------------------+
 *   |  SLOT_LENGTH      |  SLOT_COUNT       |  16
 *   +-------------------+-------------------+
 *   |          FILE_LENGTH (long)           |  24
 *   +-------------------+-------------------+
 *   |          CREATED_MILLIS (long)        |  32
 *   +-------------------+-------------------+
 *   |  CREATOR_PID      |  OBJECT_COUNT     |  40
 *   +-------------------+-------------------+
 *   |  PID_NAMESPACE (long): the creator's  |  48   inode of /proc/self/ns/pid; 0 = unknown.
 *   |  PID namespace                        |       Openers in another namespace are refused.
 *   +---------------------------------------+
 *   |  ...                                  |
 *   +---------------------------------------+
 *   |  REGISTRY mutex: a robust mutex laid  |  64   (same layout as a slot's first 40 bytes)
 *   |  out like a slot, taken only to       |
 *   |  create objects                       |
 *   +---------------------------------------+
 *
 * Directory at HEADER_LENGTH: one 8-byte entry per slot, padded to a page, so that lookups and
 * listings read 8 bytes per slot instead of touching every slot's page.
 *   +-------------------+-------------------+
 *   |  STATE            |  NAME_HASH        |  entry i
 *   +-------------------+-------------------+
 *
 * Slot i at slotOffset(i) (SLOT_LENGTH = 4096)
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  LOCK_WORD        |  KIND             |  0    word: owner id | WAITERS | OWNER_DIED
 *   +-------------------+-------------------+
 *   |  RECURSION        |  DEATHS_WORD      |  8    recursion: written by the owner only;
 *   |                   |                   |       deaths: futex word, +1 per recovered death
 *   +-------------------+-------------------+
 *   |  POLICY           |  SLEEPERS         |  16
 *   +-------------------+-------------------+
 *   |  unused (layout 1's robust-list node) |  24   nothing in the file is a pointer: no word
 *   +---------------------------------------+       is on a robust list but the participants'
 *   |  unused                               |  32   alive words, whose nodes are private
 *   +---------------------------------------+
 *   |  FENCING_TOKEN                        |  40
 *   |  ACQUISITIONS                         |  48   shared acquisitions (reads, permits, signals);
 *   |                                       |       exclusive ones are counted by the token
 *   |  CONTENDED_ACQUISITIONS               |  56
 *   |  OWNER_DIED_COUNT                     |  64
 *   |  HELD_SINCE_MILLIS                    |  72
 *   +-------------------+-------------------+
 *   |  NAME_LENGTH      |  SPIN_LIMIT       |  80
 *   +-------------------+-------------------+
 *   |  PARAMETER        |  EVENT_WORD       |  88   permits / event mode; the event's futex word
 *   +-------------------+-------------------+
 *   |  KIND_WORD_2      |  KIND_WORD_3      |  96   per-kind futex words (arrivals, ...)
 *   +---------------------------------------+
 *   |  RECORDS_CHANGED  |  unused           |  104  bumped (and woken) by a record release
 *   |                   |                   |       while anyone sleeps on the records
 *   +---------------------------------------+
 *   |  NAME: UTF-8, NAME_MAX_LENGTH bytes   |  112
 *   +---------------------------------------+
 *   |  DEAD_OWNER_TOKEN (long)              |  240  fencing token of the last holder found dead
 *   +-------------------+-------------------+
 *   |  WATCHERS         |  unused           |  248  owner-death watchers asleep on the lock word
 *   +-------------------+-------------------+
 *   |  HOLD RECORDS: RECORD_COUNT x 40 B    |  256  per-holder records (see HoldRecords)
 *   +---------------------------------------+
 *   |  unused                               |  .. 4096
 *   +---------------------------------------+
 *
 * Participant table at participantsOffset(slotCount): participantCount(slotCount) / 2 pages, two
 * participants per page (k = index % 2). The alive words sit in the last 24 bytes of the page so
 * that, in the owner's own two-page mapping [this page][a private page], the robust-list node at
 * alive + 32 (and glibc's prev field at alive + 24) fall in the private page.
 *   0 + 64k   int  GENERATION   bumped by each claimer before its alive word goes live
 *   4 + 64k   int  PID          the owner's pid (listings only)
 *   8 + 64k   int  TID          the owner's kernel thread id (listings only)
 *  12 + 64k   int  KIND         1 = a thread, 2 = the process (the keeper)
 *  4072 + 16k int  ALIVE word   owner TID | WAITERS | OWNER_DIED; 0 = never used
 * </pre>
 *
 * <p>The whole file is zero-filled at creation, and zero is the meaning of every field in a
 * fresh slot: {@code STATE == FREE}, the lock unlocked, all counters 0.
 */
public final class LockSpaceLayout {

    /** "FUTEXRA1" read as a little-endian long. */
    public static final long MAGIC = 0x3141_5258_4554_5546L;
    /**
     * Bumped on any incompatible change of this layout. 2: words hold participant ids (see
     * {@link Participants}) instead of TIDs, and nothing in the file is a pointer; version 1 kept
     * robust-list pointers in each slot.
     */
    public static final int LAYOUT_VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SLOT_LENGTH_OFFSET = 16;
    public static final int SLOT_COUNT_OFFSET = 20;
    public static final int FILE_LENGTH_OFFSET = 24;
    public static final int CREATED_MILLIS_OFFSET = 32;
    public static final int CREATOR_PID_OFFSET = 40;
    public static final int OBJECT_COUNT_OFFSET = 44;
    /** The creator's PID namespace (inode of {@code /proc/self/ns/pid}): lock words hold TIDs of that namespace. */
    public static final int PID_NAMESPACE_OFFSET = 48;
    /** The registry mutex, laid out like a slot's lock word and robust node. */
    public static final int REGISTRY_OFFSET = 64;
    public static final int HEADER_LENGTH = 4096;
    public static final int PAGE = 4096;

    public static final int DIRECTORY_OFFSET = HEADER_LENGTH;
    public static final int DIRECTORY_ENTRY_LENGTH = 8;
    public static final int ENTRY_STATE_OFFSET = 0;
    public static final int ENTRY_NAME_HASH_OFFSET = 4;

    public static final int LOCK_WORD_OFFSET = 0;
    public static final int KIND_OFFSET = 4;
    public static final int RECURSION_OFFSET = 8;
    /**
     * Locks: a futex word counting owner deaths recovered by an acquirer (bumped and woken by it),
     * so that an owner-death watcher that lost the kernel's single wake still learns at once.
     */
    public static final int DEATHS_WORD_OFFSET = 12;
    public static final int POLICY_OFFSET = 16;
    public static final int SLEEPERS_OFFSET = 20;
    /**
     * From a participant's alive word to its robust-list node's {@code prev} and {@code next}
     * fields, where glibc's {@code pthread_mutex_t} keeps them: they fall in the private page after
     * the alive word's page ({@link Participants}); nothing in a slot uses these offsets.
     */
    public static final int ROBUST_PREV_OFFSET = 24;
    public static final int ROBUST_NEXT_OFFSET = 32;
    public static final int FENCING_TOKEN_OFFSET = 40;
    public static final int ACQUISITIONS_OFFSET = 48;
    public static final int CONTENDED_ACQUISITIONS_OFFSET = 56;
    public static final int OWNER_DIED_COUNT_OFFSET = 64;
    public static final int HELD_SINCE_MILLIS_OFFSET = 72;
    public static final int NAME_LENGTH_OFFSET = 80;
    public static final int SPIN_LIMIT_OFFSET = 84;
    public static final int PARAMETER_OFFSET = 88;
    public static final int EVENT_WORD_OFFSET = 92;
    public static final int KIND_WORD_2_OFFSET = 96;
    public static final int KIND_WORD_3_OFFSET = 100;
    /** A futex word bumped by a hold record's release while someone sleeps on the records. */
    public static final int RECORDS_CHANGED_OFFSET = 104;
    public static final int NAME_OFFSET = 112;
    public static final int NAME_MAX_LENGTH = 128;
    /** Locks: the fencing token of the last holder found dead, written before DEATHS_WORD is bumped. */
    public static final int DEAD_OWNER_TOKEN_OFFSET = NAME_OFFSET + NAME_MAX_LENGTH;
    /**
     * Locks: owner-death watchers asleep on the lock word now, counted apart from
     * {@link #SLEEPERS_OFFSET} (real waiters) so that a watched lock is not reported as contended.
     */
    public static final int WATCHERS_OFFSET = DEAD_OWNER_TOKEN_OFFSET + 8;
    public static final int RECORDS_OFFSET = 256;
    /** One hold record: word (holder's participant id) at +0; see HoldRecords. */
    public static final int RECORD_LENGTH = 40;
    public static final int RECORD_COUNT = 64;
    public static final int SLOT_LENGTH = 4096;

    /** glibc's {@code futex_offset}: from a robust-list node to its futex word (the alive word). */
    public static final long ROBUST_FUTEX_OFFSET = LOCK_WORD_OFFSET - ROBUST_NEXT_OFFSET;

    /** The most participants a space has (a space of 2048 slots or more): two per page of the table. */
    public static final int MAX_PARTICIPANTS = 2048;
    /** The fewest (a small space): its table is then 512 KiB. */
    public static final int MIN_PARTICIPANTS = 256;
    public static final int PARTICIPANT_GENERATION_OFFSET = 0;
    public static final int PARTICIPANT_PID_OFFSET = 4;
    public static final int PARTICIPANT_TID_OFFSET = 8;
    public static final int PARTICIPANT_KIND_OFFSET = 12;
    /** Distance between the two participants' fields in one page. */
    public static final int PARTICIPANT_FIELDS_STRIDE = 64;
    /** The first participant's alive word; the second's is ALIVE_STRIDE further. */
    public static final int PARTICIPANT_ALIVE_OFFSET = PAGE - 24;
    public static final int PARTICIPANT_ALIVE_STRIDE = 16;

    /** Slot states. */
    public static final int STATE_FREE = 0; // must be 0: a new space is zero-filled
    public static final int STATE_READY = 1;


    private LockSpaceLayout() {
    }

    /** Byte offset of slot {@code index}'s directory entry. */
    public static int entryOffset(int index) {
        return DIRECTORY_OFFSET + index * DIRECTORY_ENTRY_LENGTH;
    }

    /** Byte offset of the first slot in a space of {@code slotCount} slots. */
    public static long slotsOffset(int slotCount) {
        long directory = (long) slotCount * DIRECTORY_ENTRY_LENGTH;
        return DIRECTORY_OFFSET + (directory + PAGE - 1) / PAGE * PAGE;
    }

    /** Byte offset of slot {@code index} in a space of {@code slotCount} slots. */
    public static long slotOffset(int slotCount, int index) {
        return slotsOffset(slotCount) + (long) index * SLOT_LENGTH;
    }

    /** Byte offset of the participant table in a space of {@code slotCount} slots. */
    public static long participantsOffset(int slotCount) {
        return slotsOffset(slotCount) + (long) slotCount * SLOT_LENGTH;
    }

    /** Byte offset of the page holding participant {@code index}. */
    public static long participantPageOffset(int slotCount, int index) {
        return participantsOffset(slotCount) + (long) (index / 2) * PAGE;
    }

    /** Offset of participant {@code index}'s fields within its page. */
    public static int participantFields(int index) {
        return (index % 2) * PARTICIPANT_FIELDS_STRIDE;
    }

    /** Offset of participant {@code index}'s alive word within its page. */
    public static int participantAlive(int index) {
        return PARTICIPANT_ALIVE_OFFSET + (index % 2) * PARTICIPANT_ALIVE_STRIDE;
    }

    /** The length of a file holding {@code slotCount} slots. */
    public static long fileLength(int slotCount) {
        return participantsOffset(slotCount) + (long) participantCount(slotCount) / 2 * PAGE;
    }

    /**
     * How many participants (threads using the space at once, over all processes) a space of
     * {@code slotCount} slots has room for: as many as slots, within MIN_PARTICIPANTS to
     * MAX_PARTICIPANTS, so that a small space stays small.
     */
    public static int participantCount(int slotCount) {
        return Math.max(MIN_PARTICIPANTS, Math.min(MAX_PARTICIPANTS, slotCount));
    }

    /** Byte offset of hold record {@code index} within a slot. */
    public static int recordOffset(int index) {
        return RECORDS_OFFSET + index * RECORD_LENGTH;
    }
}
