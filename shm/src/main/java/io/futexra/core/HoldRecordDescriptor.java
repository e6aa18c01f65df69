package io.futexra.core;

/**
 * The hold records of a slot ({@link HoldRecords}): 64 records of 40 bytes from slot offset 256,
 * and the futex word their releases bump. Used by read/write locks (readers), semaphores
 * (permits) and FAIR locks (queue places); a greedy lock and an event leave them 0.
 *
 * <pre>
 * In the slot:
 *   104  int  RECORDS_CHANGED   bumped (and woken) by a release while anyone sleeps on the records
 *   256  RECORD_COUNT (64) records of RECORD_LENGTH (40) bytes, record i at recordOffset(i)
 *
 * One record:
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  WORD             |  DEPTH            |  0     holder's participant id | OWNER_DIED (0: free);
 *   +-------------------+-------------------+        DEPTH: the holder's re-entries (holder only)
 *   |  WAKE             |  SEQ              |  8     FAIR queue places only: WAKE, the futex word
 *   +-------------------+-------------------+        its waiter sleeps on between releases (0 awake,
 *                                                     1 asleep); SEQ, the arrival number (0 until stamped)
 *   |  reserved, 0                          |  16 .. 39
 *   +---------------------------------------+
 * </pre>
 *
 * <p>Listed by their kind (readers of a read/write lock, permits in use of a semaphore: records
 * held by live participants). {@code SpaceChecker} checks every record its kind uses: WORD names
 * an entry of the participant table (a live one: a live thread), DEPTH is not negative; a
 * semaphore's records beyond its permits must be 0.
 */
public final class HoldRecordDescriptor {

    /** In the slot: a futex word bumped by a record's release while someone sleeps on the records. */
    public static final int RECORDS_CHANGED_OFFSET = 104;
    /** In the slot: the first record. */
    public static final int RECORDS_OFFSET = 256;
    public static final int RECORD_LENGTH = 40;
    public static final int RECORD_COUNT = 64;

    /** In a record: the holder's participant id | OWNER_DIED; 0 when free. */
    public static final int WORD_OFFSET = 0;
    /** In a record: the holder's re-entries (1 when held once), written by the holder only. */
    public static final int DEPTH_OFFSET = 4;
    /** In a FAIR queue record: the wake word its waiter sleeps on (0 awake, 1 asleep); 0 in other kinds. */
    public static final int WAKE_OFFSET = 8;
    /** In a FAIR queue record: the arrival number stamped by the waiter; 0 until stamped. */
    public static final int SEQ_OFFSET = 12;
    /** In a record: reserved, to its end. */
    public static final int RESERVED_TAIL_OFFSET = 16;

    private HoldRecordDescriptor() {
    }

    /** Byte offset of hold record {@code index} within a slot. */
    public static int recordOffset(int index) {
        return RECORDS_OFFSET + index * RECORD_LENGTH;
    }
}
