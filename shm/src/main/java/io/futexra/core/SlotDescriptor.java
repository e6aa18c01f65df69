package io.futexra.core;

import io.futexra.kit.NameRules;

/**
 * The fields every object's slot has, whatever its kind, and the map of what the kinds put where.
 * A slot is {@link #SLOT_LENGTH} bytes at {@code LockSpaceLayout.slotOffset(slotCount, i)}, page
 * aligned; all of it is zero when the space is created, and zero is each field's initial meaning.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  kind word        |  KIND             |  0     kind word: LockDescriptor (LOCK_WORD)
 *   +-------------------+-------------------+
 *   |  kind word        |  kind word        |  8     LockDescriptor ((reserved), DEATHS_WORD)
 *   +-------------------+-------------------+
 *   |  kind word        |  SLEEPERS         |  16    LockDescriptor (POLICY)
 *   +-------------------+-------------------+
 *   |  TOKEN_ORIGIN (long)                  |  24    the fencing token's start: CLOCK_REALTIME ns at creation
 *   |  reserved, 0                          |  32
 *   +---------------------------------------+
 *   |  FENCING_TOKEN (long)                 |  40    last token handed out (TOKEN_ORIGIN + exclusive
 *   |                                       |        acquisitions or permits; events: 0)
 *   |  ACQUISITIONS (long)                  |  48    other shared acquisitions: reads, signals
 *   |  CONTENDED_ACQUISITIONS (long)        |  56    acquisitions that had to wait
 *   |  OWNER_DIED_COUNT (long)              |  64    acquisitions told previousOwnerDied
 *   |  kind long                            |  72    LockDescriptor (HELD_SINCE_MILLIS)
 *   +-------------------+-------------------+
 *   |  NAME_LENGTH      |  kind word        |  80    LockDescriptor (SPIN_LIMIT)
 *   +-------------------+-------------------+
 *   |  kind word        |  kind word        |  88    SemaphoreDescriptor (PERMITS), EventDescriptor (MODE, EVENT_WORD)
 *   +-------------------+-------------------+
 *   |  kind word        |  kind word        |  96    FairLockDescriptor (ARRIVALS, TURN)
 *   +-------------------+-------------------+
 *   |  RECORDS_CHANGED  |  reserved, 0      |  104   HoldRecordDescriptor (kinds with records)
 *   +-------------------+-------------------+
 *   |  NAME: UTF-8, 1 to NAME_MAX_LENGTH    |  112   written before the slot is published
 *   |  (128) bytes                          |
 *   +---------------------------------------+
 *   |  kind long                            |  240   LockDescriptor (DEAD_OWNER_TOKEN)
 *   +-------------------+-------------------+
 *   |  kind word        |  reserved, 0      |  248   LockDescriptor (WATCHERS)
 *   +-------------------+-------------------+
 *   |  64 hold records x 40 bytes           |  256   HoldRecordDescriptor (kinds with records)
 *   +---------------------------------------+
 *   |  reserved, 0                          |  2816 .. 4096
 *   +---------------------------------------+
 * </pre>
 * A "kind word" or "kind long" is the field of the descriptor named beside it; a kind that does
 * not use it leaves it 0. The descriptors: {@link LockDescriptor}, {@link FairLockDescriptor},
 * {@link ReadWriteLockDescriptor}, {@link SemaphoreDescriptor}, {@link EventDescriptor}; hold
 * records {@link HoldRecordDescriptor}.
 *
 * <p>In {@code objects()}: the name ({@code "<corrupt slot i>"} if NAME_LENGTH is out of range), the
 * kind, the waiters (SLEEPERS, negative read as 0), and the counters; the rest per kind
 * ({@link ListedFields}). {@code SpaceChecker} checks for every slot: a known KIND, a NAME of valid
 * UTF-8 within range whose hash is the directory entry's and that the lookup's probe reaches, unique
 * names, counters not negative and contended/owner-died not above all acquisitions, SLEEPERS not
 * negative; then what the kind's descriptor says.
 */
public final class SlotDescriptor {

    public static final int KIND_OFFSET = 4;
    /** Threads asleep in a wait on this slot's words ({@link Sleepers}): listed as waiters. */
    public static final int SLEEPERS_OFFSET = 20;
    /** Reserved: layout 1 kept a robust-list node here; nothing in a slot is a pointer. */
    /**
     * Where the fencing token started when the object was created: the wall clock in nanoseconds
     * since the epoch (CLOCK_REALTIME). So a name's tokens never go backwards when its space is
     * removed and created again (or the host reboots): a later-created object's first token exceeds
     * every token of an earlier one, as long as the earlier one handed out fewer than one token per
     * nanosecond of its life and the clock was not set back by more than the time between the two
     * creations. {@code FENCING_TOKEN - TOKEN_ORIGIN} counts the exclusive acquisitions (a
     * semaphore's: the permits taken).
     */
    public static final int TOKEN_ORIGIN_OFFSET = 24;
    public static final int RESERVED_NODE_OFFSET = 32;
    public static final int RESERVED_NODE_LENGTH = 8;
    public static final int FENCING_TOKEN_OFFSET = 40;
    /** Shared acquisitions (reads, signals); exclusive ones and permits are counted by the fencing token. */
    public static final int ACQUISITIONS_OFFSET = 48;
    public static final int CONTENDED_ACQUISITIONS_OFFSET = 56;
    public static final int OWNER_DIED_COUNT_OFFSET = 64;
    public static final int NAME_LENGTH_OFFSET = 80;
    /** Reserved: the word after RECORDS_CHANGED. */
    public static final int RESERVED_AFTER_RECORDS_CHANGED_OFFSET = 108;
    public static final int NAME_OFFSET = 112;
    public static final int NAME_MAX_LENGTH = NameRules.OBJECT_NAME_MAX_BYTES;
    /** Reserved: the word after WATCHERS. */
    public static final int RESERVED_AFTER_WATCHERS_OFFSET = 252;
    /** Reserved: from the end of the hold records to the end of the slot. */
    public static final int RESERVED_TAIL_OFFSET = HoldRecordDescriptor.recordOffset(HoldRecordDescriptor.RECORD_COUNT);
    public static final int SLOT_LENGTH = LockSpaceLayout.PAGE;

    private SlotDescriptor() {
    }
}
