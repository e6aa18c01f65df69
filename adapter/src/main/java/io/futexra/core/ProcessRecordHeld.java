package io.futexra.core;

/**
 * A hold record owned by the process: its keeper participant's ({@link Keeper}), so any thread of
 * the process may close it, and the kernel's death handling frees it when the process dies. A
 * semaphore's process-owned permit is one (the read side's process-owned read hold has the same
 * shape). Its state and the keeper's {@code holds} are guarded by the keeper's monitor; while one
 * is open the keeper (and the clock) stay alive.
 */
final class ProcessRecordHeld extends AbstractHeld {

    private final ShmLockSpace space;
    private final ThreadContext keeper;
    private final HoldRecords records;
    private final int record;
    private final String what;
    private boolean closed;

    private ProcessRecordHeld(ShmLockSpace space, ThreadContext keeper, HoldRecords records, int record, long token,
                              boolean died, String what) {
        super(token, died);
        this.space = space;
        this.keeper = keeper;
        this.records = records;
        this.record = record;
        this.what = what;
    }

    /**
     * Takes charge of {@code record}, just claimed for {@code keeper}: counts it as the keeper's,
     * so the keeper participant does not retire, and keeps the keeper alive until it is closed.
     *
     * @param what what is held, for {@link #toString()}
     */
    static ProcessRecordHeld claimed(ShmLockSpace space, ThreadContext keeper, HoldRecords records, int record,
                                     long token, boolean died, String what) {
        synchronized (space.keeper()) {
            keeper.holds++;
            space.retainProcess();
        }
        return new ProcessRecordHeld(space, keeper, records, record, token, died, what);
    }

    /** Not closed (a lost hold of shared memory is not detected for this kind). */
    @Override
    public boolean isHeld() {
        synchronized (space.keeper()) {
            return !closed;
        }
    }

    /** Releases the record, on any thread; a second close does nothing. */
    @Override
    public void close() {
        synchronized (space.keeper()) {
            if (closed) {
                return;
            }
            closed = true;
            records.release(record);
            keeper.holds--;
        }
        space.releaseProcess();
    }

    @Override
    public String toString() {
        return describe(what + " by this process", "previous owner died");
    }
}
