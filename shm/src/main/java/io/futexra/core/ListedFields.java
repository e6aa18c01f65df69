package io.futexra.core;

import io.futexra.ObjectKind;

/**
 * What {@code objects()} reads of one kind's slot, as its descriptor declares it
 * ({@code LockDescriptor.LISTED} and so on): each a slot offset, or {@link #NONE} if the kind has no
 * such field. {@link ObjectReader} reads through it and never tests the kind itself.
 *
 * @param ownerWord the word naming the holder's participant (locks, the writer)
 * @param heldSince the wall-clock millis of the last acquisition (long)
 * @param watchers owner-death watchers asleep on the owner word
 * @param policy the {@code LockPolicy} code
 * @param spinLimit the spin limit
 * @param tokenCountsAcquisitions whether the fencing token counts exclusive acquisitions or permits (added
 *     to the ACQUISITIONS counter)
 * @param readers how many hold records are shared holds (a fixed count), or {@link #NONE}
 * @param permits the permit count, which is also how many hold records are shared holds
 * @param mode the {@code EventMode} code
 * @param eventWord the event's futex word
 */
record ListedFields(int ownerWord, int heldSince, int watchers, int policy, int spinLimit,
                    boolean tokenCountsAcquisitions, int readers, int permits, int mode, int eventWord) {

    /** The kind has no such field. */
    static final int NONE = -1;

    /** A kind this layout does not know (a corrupt KIND): nothing is read but the common fields. */
    static final ListedFields UNKNOWN = new ListedFields(NONE, NONE, NONE, NONE, NONE, false, NONE, NONE, NONE, NONE);

    /** The descriptor's fields of {@code kind} ({@link #UNKNOWN} for null). */
    static ListedFields of(ObjectKind kind) {
        if (kind == null) {
            return UNKNOWN;
        }
        return switch (kind) {
            case LOCK -> LockDescriptor.LISTED;
            case READ_WRITE_LOCK -> ReadWriteLockDescriptor.LISTED;
            case SEMAPHORE -> SemaphoreDescriptor.LISTED;
            case EVENT -> EventDescriptor.LISTED;
        };
    }
}
