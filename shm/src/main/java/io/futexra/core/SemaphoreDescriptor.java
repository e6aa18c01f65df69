package io.futexra.core;

/**
 * A semaphore's slot: its permit count and one hold record per permit ({@link ShmNamedSemaphore}).
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  0                |  (KIND)           |  0     no lock word
 *   |  0                |  0                |  8
 *   |  0                |  (SLEEPERS)       |  16
 *   +-------------------+-------------------+
 *   |  (reserved, FENCING_TOKEN,            |  24 .. 71   FENCING_TOKEN: +1 per permit taken (it
 *   |  ACQUISITIONS, CONTENDED, OWNER_DIED) |             counts them); ACQUISITIONS stays 0
 *   |  0                                    |  72
 *   +-------------------+-------------------+
 *   |  (NAME_LENGTH)    |  0                |  80
 *   +-------------------+-------------------+
 *   |  PERMITS          |  0                |  88    1 .. NamedSemaphore.MAX_PERMITS (64)
 *   |  0                |  0                |  96
 *   |  RECORDS_CHANGED  |  (reserved)       |  104   HoldRecordDescriptor
 *   +-------------------+-------------------+
 *   |  (NAME)                               |  112 .. 239
 *   |  0                                    |  240 .. 255
 *   +---------------------------------------+
 *   |  PERMITS permit records: WORD = the   |  256   HoldRecordDescriptor; DEPTH 1 while held;
 *   |  holder's participant id              |        records PERMITS .. 63 stay 0
 *   +---------------------------------------+
 * </pre>
 *
 * <p>PERMITS is checked (1 to 64) before it sizes the record scans: out of range, the semaphore
 * is refused as corrupt ({@code SpaceFormatException}). In {@code objects()}: permits = PERMITS
 * (clamped to 0..64), readers = permit records held by live participants, no holder.
 * {@code SpaceChecker}: PERMITS in range; each permit record's participant id, DEPTH not
 * negative; records beyond PERMITS unused.
 */
public final class SemaphoreDescriptor {

    public static final int PERMITS_OFFSET = 88;

    /** What {@code objects()} reads of a semaphore. */
    static final ListedFields LISTED = new ListedFields(ListedFields.NONE, ListedFields.NONE, ListedFields.NONE,
            ListedFields.NONE, ListedFields.NONE, true, ListedFields.NONE, PERMITS_OFFSET, ListedFields.NONE,
            ListedFields.NONE);

    private SemaphoreDescriptor() {
    }
}
