package io.futexra.core;

/**
 * The fields of a lock's slot ({@code ObjectKind.LOCK}, greedy policy), besides the common ones
 * of {@link SlotDescriptor}. The write side of a read/write lock uses the same fields
 * ({@link ReadWriteLockDescriptor}); a FAIR lock adds its queue ({@link FairLockDescriptor}).
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  LOCK_WORD        |  (KIND)           |  0     owner's participant id | WAITERS | OWNER_DIED
 *   +-------------------+-------------------+
 *   |  (reserved)       |  DEATHS_WORD      |  8     0 in new files; futex word,
 *   +-------------------+-------------------+        +1 per owner death an acquirer recovered
 *   |  POLICY           |  (SLEEPERS)       |  16    LockPolicy code: 1 GREEDY (0 reads as GREEDY), 2 FAIR
 *   +-------------------+-------------------+
 *   |  (reserved, FENCING_TOKEN, ...)       |  24 .. 71   FENCING_TOKEN counts the acquisitions;
 *   |                                       |             ACQUISITIONS stays 0
 *   +---------------------------------------+
 *   |  HELD_SINCE_MILLIS (long)             |  72    wall clock of the last acquisition
 *   +-------------------+-------------------+
 *   |  (NAME_LENGTH)    |  SPIN_LIMIT       |  80    LockOptions spin limit (-1: adaptive)
 *   +-------------------+-------------------+
 *   |  0                |  0                |  88    unused by locks
 *   |  0                |  0                |  96    unused by greedy locks (FAIR: ARRIVALS, TURN)
 *   |  0                |  (reserved)       |  104   unused by greedy locks (FAIR: RECORDS_CHANGED)
 *   +-------------------+-------------------+
 *   |  (NAME)                               |  112 .. 239
 *   +---------------------------------------+
 *   |  DEAD_OWNER_TOKEN (long)              |  240   token of the last owner found dead, written
 *   +-------------------+-------------------+        before DEATHS_WORD is bumped
 *   |  WATCHERS         |  (reserved)       |  248   owner-death watchers asleep on LOCK_WORD
 *   +-------------------+-------------------+
 *   |  0: no records (FAIR: its queue)      |  256 .. 2815
 *   +---------------------------------------+
 * </pre>
 * (Parenthesized: {@link SlotDescriptor}'s fields.)
 *
 * <p>In {@code objects()}: holder pid, tid and thread from the participant LOCK_WORD names (if it
 * lives), HELD_SINCE_MILLIS while held, WATCHERS, acquisitions = FENCING_TOKEN (+ ACQUISITIONS),
 * abandoned when LOCK_WORD reads OWNER_DIED with no owner or names a dead participant, POLICY and
 * SPIN_LIMIT. {@code SpaceChecker}: POLICY and SPIN_LIMIT make valid {@code LockOptions};
 * LOCK_WORD's participant id names an entry of the table, and a live one a live thread;
 * FAIR: the queue records as {@link FairLockDescriptor} says. Re-entries are not in the file: they
 * are the owner thread's own count ({@code ThreadContext}).
 */
public final class LockDescriptor {

    /** The owner's participant id | WAITERS | OWNER_DIED: see {@link RobustMutex}. */
    public static final int LOCK_WORD_OFFSET = 0;
    /** Not used: 0 in new files, left as it is in older ones. */
    public static final int RESERVED_AFTER_KIND_OFFSET = 8;
    /**
     * A futex word counting owner deaths recovered by an acquirer (bumped and woken by it), so
     * that an owner-death watcher that lost the kernel's single wake still learns at once.
     */
    public static final int DEATHS_WORD_OFFSET = 12;
    public static final int POLICY_OFFSET = 16;
    public static final int HELD_SINCE_MILLIS_OFFSET = 72;
    public static final int SPIN_LIMIT_OFFSET = 84;
    /** The fencing token of the last holder found dead, written before DEATHS_WORD is bumped. */
    public static final int DEAD_OWNER_TOKEN_OFFSET = 240;
    /**
     * Owner-death watchers asleep on the lock word now, counted apart from
     * {@link SlotDescriptor#SLEEPERS_OFFSET} (real waiters) so that a watched lock is not reported
     * as contended.
     */
    public static final int WATCHERS_OFFSET = 248;

    /** What {@code objects()} reads of a lock. */
    static final ListedFields LISTED = new ListedFields(LOCK_WORD_OFFSET, HELD_SINCE_MILLIS_OFFSET, WATCHERS_OFFSET,
            POLICY_OFFSET, SPIN_LIMIT_OFFSET, true, ListedFields.NONE, ListedFields.NONE, ListedFields.NONE,
            ListedFields.NONE);

    private LockDescriptor() {
    }
}
