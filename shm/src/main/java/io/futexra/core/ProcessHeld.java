package io.futexra.core;

/**
 * A process-owned acquisition of a {@link ShmNamedLock}: the lock's word names the keeper
 * participant ({@link Keeper}), not a thread. Any thread of the process may close it, once: the
 * first close (a CAS on {@code closed}) releases the lock, a second does nothing.
 */
final class ProcessHeld extends ProcessOwnedHeld {

    private final ShmNamedLock lock;
    /** The keeper participant the lock's word names while held. */
    private final ThreadContext keeper;
    ProcessHeld(ShmNamedLock lock, ThreadContext keeper, long fencingToken, boolean previousOwnerDied) {
        super(lock.space(), fencingToken, previousOwnerDied);
        this.lock = lock;
        this.keeper = keeper;
    }

    /** Releases the lock, on any thread; a second close does nothing. */
    @Override
    public void close() {
        lock.releaseForProcess(this);
    }

    /** Not closed, and the lock's word still names this process's keeper. */
    @Override
    boolean holds() {
        return !isClosed() && lock.isOwnedBy(keeper);
    }

    ThreadContext keeper() {
        return keeper;
    }

    @Override
    public String toString() {
        return describe(lock.name() + " by this process", "previous owner died");
    }
}
