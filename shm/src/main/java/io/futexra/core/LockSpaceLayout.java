package io.futexra.core;

/**
 * The geometry of a lock-space file: where its parts lie. Each part's fields are drawn by its own
 * descriptor. Every multi-byte field is in the machine's native byte order (the kernel reads the
 * futex words); every field is naturally aligned; slots are page aligned.
 *
 * <pre>
 *   0                      header page: HeaderDescriptor (HEADER_LENGTH = 4096)
 *   DIRECTORY_OFFSET       directory: one 8-byte entry per slot, padded to a page, so that
 *                          lookups and listings read 8 bytes per slot, not every slot's page
 *                            +0 int STATE      STATE_FREE (0) or STATE_READY (1), published last
 *                            +4 int NAME_HASH  Names.hash of the object's UTF-8 name
 *   slotsOffset(n)         n slots of SLOT_LENGTH (4096): SlotDescriptor, and per kind
 *                          LockDescriptor, FairLockDescriptor, ReadWriteLockDescriptor,
 *                          SemaphoreDescriptor, EventDescriptor; hold records HoldRecordDescriptor
 *   participantsOffset(n)  participant table: ParticipantDescriptor, participantCount(n) entries of 64
 *                          bytes, padded to a page
 *   fileLength(n)          end of file
 * </pre>
 *
 * <p>The whole file is zero-filled at creation, and zero is the meaning of every field in a
 * fresh slot: {@code STATE == FREE}, the lock unlocked, all counters 0.
 */
public final class LockSpaceLayout {

    /**
     * Bumped on any incompatible change of this layout or of a protocol on it. 4: participants'
     * alive words moved out of the space file into each process's own alive file (see
     * {@link Participants}); the table's entries name them. 3: a read/write
     * lock's reader mask at slot offset 96 (a writer reads it instead of the records), a FAIR queue
     * record's WAKE word at +8 (only the oldest waiter is woken); 2: words hold participant ids (see
     * {@link Participants}) instead of TIDs, and nothing in the file is a pointer; 1 kept robust-list
     * pointers in each slot. A process of another version would break these protocols, so a space
     * of another version is refused, never mapped.
     */
    public static final int LAYOUT_VERSION = 4;
    public static final int PAGE = 4096;
    public static final int HEADER_LENGTH = HeaderDescriptor.HEADER_LENGTH;
    public static final int SLOT_LENGTH = SlotDescriptor.SLOT_LENGTH;

    public static final int DIRECTORY_OFFSET = HEADER_LENGTH;
    public static final int DIRECTORY_ENTRY_LENGTH = 8;
    public static final int ENTRY_STATE_OFFSET = 0;
    public static final int ENTRY_NAME_HASH_OFFSET = 4;

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

    /** Byte offset of participant {@code index}'s entry. */
    public static long participantOffset(int slotCount, int index) {
        return participantsOffset(slotCount) + (long) index * ParticipantDescriptor.PARTICIPANT_LENGTH;
    }

    /** The length of a file holding {@code slotCount} slots. */
    public static long fileLength(int slotCount) {
        long table = (long) ParticipantDescriptor.participantCount(slotCount) * ParticipantDescriptor.PARTICIPANT_LENGTH;
        return participantsOffset(slotCount) + (table + PAGE - 1) / PAGE * PAGE;
    }
}
