package io.futexra.core;

/**
 * A process-owned acquisition of a {@link ShmNamedLock}: any thread of the process may close it.
 * Its state is guarded by the keeper's monitor.
 */
final class ProcessHeld extends AbstractHeld {

    private final ShmNamedLock lock;
    /** The keeper the lock was transferred to: its word names this participant while held. */
    private final ThreadContext keeper;
    private boolean closed;

    ProcessHeld(ShmNamedLock lock, ThreadContext keeper, long fencingToken, boolean previousOwnerDied) {
        super(fencingToken, previousOwnerDied);
        this.lock = lock;
        this.keeper = keeper;
    }

    @Override
    public void close() {
        lock.releaseForProcess(this);
    }

    /** Not closed, and the lock's word still names this process's keeper. */
    @Override
    public boolean isHeld() {
        synchronized (lock.keeperMonitor()) {
            return !closed && lock.isOwnedBy(keeper);
        }
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return describe(lock.name() + " by this process", "previous owner died");
    }
}
