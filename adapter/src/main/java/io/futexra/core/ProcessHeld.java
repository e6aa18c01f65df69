package io.futexra.core;

/**
 * A process-owned acquisition of a {@link ShmNamedLock}: any thread of the process may close it.
 * Its state is guarded by the keeper's monitor.
 */
final class ProcessHeld extends AbstractHeld {

    private final ShmNamedLock lock;
    private boolean closed;

    ProcessHeld(ShmNamedLock lock, long fencingToken, boolean previousOwnerDied) {
        super(fencingToken, previousOwnerDied);
        this.lock = lock;
    }

    @Override
    public void close() {
        lock.releaseForProcess(this);
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
