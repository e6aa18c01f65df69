package io.futexra.core;

import java.util.function.IntConsumer;

/**
 * A hold record owned by the process: its keeper participant's ({@link Keeper}), so any thread of
 * the process may close it, and the kernel's death handling frees it when the process dies (the
 * keeper's alive word is marked, and the record reads free to the next claimer, flagged). A
 * semaphore's process-owned permit and a read lock's process-owned read hold are one each.
 *
 * <p>It was counted in the space's {@link ProcessHolds} before its record named the keeper; the
 * first close releases the record and ends that count, a second close does nothing.
 */
final class ProcessRecordHeld extends ProcessOwnedHeld {

    private final ShmLockSpace space;
    /** Releases a record of its kind: {@link HoldRecords#release}, or {@link ReaderSet#leave} for a read hold. */
    private final IntConsumer release;
    private final int record;
    private final String what;
    private final String died;
    /**
     * @param what what is held, for {@link #toString()} ("permit of s")
     * @param died what {@link #previousOwnerDied()} means, for {@link #toString()}
     */
    ProcessRecordHeld(ShmLockSpace space, IntConsumer release, int record, long token, boolean previousOwnerDied,
                      String what, String died) {
        super(space, token, previousOwnerDied);
        this.space = space;
        this.release = release;
        this.record = record;
        this.what = what;
        this.died = died;
    }

    /** Not closed (a record taken over by another holder is not detected for this kind). */
    @Override
    boolean holds() {
        return !isClosed();
    }

    /** Releases the record, on any thread; a second close does nothing. */
    @Override
    public void close() {
        if (!markClosed()) {
            return;
        }
        try {
            space.checkIntact();
            release.accept(record);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        } finally {
            space.processHoldClosed();
        }
    }

    @Override
    public String toString() {
        return describe(what + " by this process", died);
    }
}
