package io.futexra.core;

import io.futexra.Held;

/**
 * A process-owned acquisition of a {@link ShmNamedLock}: any thread of the process may close it.
 * Its state is guarded by the keeper's monitor.
 */
final class ProcessHeld implements Held {

    private final ShmNamedLock lock;
    private final long fencingToken;
    private final boolean previousOwnerDied;
    private boolean closed;

    ProcessHeld(ShmNamedLock lock, long fencingToken, boolean previousOwnerDied) {
        this.lock = lock;
        this.fencingToken = fencingToken;
        this.previousOwnerDied = previousOwnerDied;
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public boolean previousOwnerDied() {
        return previousOwnerDied;
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
        return "Held[" + lock.name() + " by this process, token " + fencingToken
                + (previousOwnerDied ? ", previous owner died" : "") + "]";
    }
}
