package io.futexra.core;

/**
 * A FAIR lock's slot: every field of a lock ({@link LockDescriptor}, with POLICY = FAIR) plus the
 * queue of {@link FairMutex}: two counters and the slot's hold records as queue places.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  (every field of LockDescriptor)      |  0 .. 95
 *   +-------------------+-------------------+
 *   |  ARRIVALS         |  TURN             |  96    arrival numbers handed out; futex word
 *   +-------------------+-------------------+        bumped for rare events (FairMutex)
 *   |  RECORDS_CHANGED  |  (reserved)       |  104   here: how many wait for a free queue place
 *   +-------------------+-------------------+
 *   |  (every field of LockDescriptor)      |  112 .. 255
 *   +---------------------------------------+
 *   |  64 queue places: hold records, each  |  256   HoldRecordDescriptor: WORD = the waiter's
 *   |  WORD, DEPTH (1), WAKE, SEQ = its     |        participant id, WAKE (at +8) = 1 while it
 *   |  arrival                              |        sleeps, SEQ = its ARRIVALS number (0 until
 *   +---------------------------------------+        stamped)
 * </pre>
 *
 * <p>In {@code objects()}: as a lock ({@link LockDescriptor#LISTED}); the queue is not listed
 * (its waiters are counted in SLEEPERS). {@code SpaceChecker}: as a lock, and every queue record's
 * participant id as for any hold record ({@link HoldRecordDescriptor}).
 */
public final class FairLockDescriptor {

    /** Arrival numbers handed out: each queued waiter stamps its record with the next one. */
    public static final int ARRIVALS_OFFSET = 96;
    /** A futex word bumped for events every waiter must see (deaths, leavers), so that none is missed (ABA). */
    public static final int TURN_OFFSET = 100;

    private FairLockDescriptor() {
    }
}
