package io.futexra.core;

import io.futexra.Held;

/** One acquisition of a {@link ShmNamedLock}; confined to the acquiring thread. */
final class ShmHeld implements Held {

    private final ShmNamedLock lock;
    private final Thread ownerThread;
    private final ThreadContext owner;
    private final long fencingToken;
    private final boolean previousOwnerDied;
    private boolean closed;

    ShmHeld(ShmNamedLock lock, ThreadContext owner, long fencingToken, boolean previousOwnerDied) {
        this.lock = lock;
        this.ownerThread = Thread.currentThread();
        this.owner = owner;
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
        lock.release(this);
    }

    /** The acquiring thread's context, if the caller is that thread; else null. */
    ThreadContext ownerIfCurrent() {
        return Thread.currentThread() == ownerThread ? owner : null;
    }

    int ownerTid() {
        return owner.tid;
    }

    boolean isClosed() {
        return closed;
    }

    /** Called on the owner thread only, once its level of the lock is released. */
    void markClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Held[" + lock.name() + ", token " + fencingToken + (previousOwnerDied ? ", previous owner died" : "") + "]";
    }
}
