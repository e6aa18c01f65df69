package io.futexra.core;

/** One acquisition of a {@link ShmNamedLock}; confined to the acquiring thread. */
final class ShmHeld extends AbstractHeld {

    private final ShmNamedLock lock;
    private final Thread ownerThread;
    private final ThreadContext owner;
    private boolean closed;

    ShmHeld(ShmNamedLock lock, ThreadContext owner, long fencingToken, boolean previousOwnerDied) {
        super(lock.space(), fencingToken, previousOwnerDied);
        this.lock = lock;
        this.ownerThread = Thread.currentThread();
        this.owner = owner;
    }

    /**
     * The fast path: the owner thread closing its only open level of a lock, with no re-entry open
     * in the space ({@link ThreadContext#reentries}), releases the lock with this hold's values;
     * anything else goes through {@link ShmNamedLock#release(ShmHeld)}.
     */
    @Override
    public void close() {
        ThreadContext me = owner;
        if (Thread.currentThread() != ownerThread || closed || me.reentries != 0) {
            lock.release(this);
            return;
        }
        closed = true;
        lock.releaseLast(me, fencingToken());
    }

    /** The acquiring thread's context, if the caller is that thread; else null. */
    ThreadContext ownerIfCurrent() {
        return Thread.currentThread() == ownerThread ? owner : null;
    }

    int ownerTid() {
        return owner.tid;
    }

    /** Not closed, and the lock's word still names the acquiring thread. */
    @Override
    boolean holds() {
        return !closed && lock.isOwnedBy(owner);
    }

    @Override
    boolean closedByHolder() {
        return closed;
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
        return describe(lock.name(), "previous owner died");
    }
}
