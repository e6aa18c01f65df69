package io.futexra.core;

/**
 * A read/write lock's slot: the write side is a lock on the slot's lock word, with every field
 * of {@link LockDescriptor} (POLICY 0 = greedy with writer preference, WATCHERS 0: owner-death
 * watches are for locks); the readers are the slot's 64 hold records.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  (every field of LockDescriptor:      |  0 .. 95    LOCK_WORD is the writer word;
 *   |  LOCK_WORD, (reserved), DEATHS_WORD,   |             FENCING_TOKEN counts the writes,
 *   |  HELD_SINCE_MILLIS, SPIN_LIMIT, ...)  |             ACQUISITIONS the reads
 *   +-------------------+-------------------+
 *   |  READER_MASK (long)                   |  96    bit i set while reader record i may be
 *   |                                       |        held (ReaderSet: the Dekker step's flag)
 *   +-------------------+-------------------+
 *   |  RECORDS_CHANGED  |  (reserved)       |  104   HoldRecordDescriptor
 *   +-------------------+-------------------+
 *   |  (as LockDescriptor)                  |  112 .. 255
 *   +---------------------------------------+
 *   |  64 reader records: WORD = a reading  |  256   HoldRecordDescriptor; SEQ unused (0)
 *   |  participant, DEPTH = its re-entries  |
 *   +---------------------------------------+
 * </pre>
 *
 * <p>In {@code objects()}: the writer as a lock's holder; readers = reader records held by live
 * participants; acquisitions = FENCING_TOKEN + ACQUISITIONS. {@code SpaceChecker}: the writer
 * word's participant id as a lock word's; every reader record's id, and its DEPTH not negative.
 */
public final class ReadWriteLockDescriptor {

    /** In the slot: a long, bit i set while reader record i may be held (what a writer reads instead of the records). */
    public static final int READER_MASK_OFFSET = 96;

    /** Reading participants at once: one record each. */
    public static final int READERS = HoldRecordDescriptor.RECORD_COUNT;

    /** What {@code objects()} reads of a read/write lock. */
    static final ListedFields LISTED = new ListedFields(LockDescriptor.LOCK_WORD_OFFSET,
            LockDescriptor.HELD_SINCE_MILLIS_OFFSET, ListedFields.NONE, ListedFields.NONE, LockDescriptor.SPIN_LIMIT_OFFSET,
            true, READERS, ListedFields.NONE, ListedFields.NONE, ListedFields.NONE);

    private ReadWriteLockDescriptor() {
    }
}
