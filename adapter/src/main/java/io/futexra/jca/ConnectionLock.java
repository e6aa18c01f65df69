package io.futexra.jca;

import io.futexra.Held;
import io.futexra.NamedLock;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link NamedLock} reached through a {@link LockConnection}: the same lock every process on the
 * host sees, acquired on behalf of the server process (see {@link LockConnection} for what that
 * means), plus transaction-scoped acquisition.
 *
 * <p>{@link #acquire(Duration)} and {@link #tryAcquire()} return a {@link Held} that any thread may
 * close, and that the connection releases when it is closed. A wait ends early with
 * {@link io.futexra.LockInterruptedException} if the thread is interrupted, and with
 * {@link io.futexra.FutexRaException} if the adapter stops meanwhile.
 */
public interface ConnectionLock extends NamedLock {

    /**
     * Acquires the lock for the calling thread's JTA transaction: it stays held until the
     * transaction commits or rolls back, and is released then, on whatever thread completes it
     * (the transaction reaper included) — a row lock without the database. Acquiring again in the
     * same transaction returns at once with the same fencing token. Closing the connection does not
     * release it.
     *
     * @param timeout how long to wait for the lock
     * @return the acquisition's fencing token and whether the previous owner died
     * @throws IllegalStateException if the calling thread has no active transaction
     * @throws io.futexra.LockTimeoutException if the timeout passed first; nothing is held
     */
    TransactionHold acquireForTransaction(Duration timeout);

    /** Acquires, waiting as long as it takes (prefer {@link #acquire(Duration)} in a server). */
    @Override
    Held acquire();

    /** Acquires only if no other owner holds the lock now; never waits. */
    @Override
    Optional<Held> tryAcquire();

    /** Whether the calling thread holds this lock through a connection of this adapter (not counting transaction scope). */
    @Override
    boolean isHeldByCurrentThread();
}
