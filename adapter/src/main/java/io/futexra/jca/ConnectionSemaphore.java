package io.futexra.jca;

import io.futexra.Held;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link io.futexra.NamedSemaphore} reached through a {@link LockConnection}: at most
 * {@link #permits()} holders across every process on the host. A permit taken through a
 * connection may be returned by any thread, and is returned by closing the connection (with a
 * {@code FUTEXRA010} warning) or by the container's cleanup; it is owned by the process
 * ({@link io.futexra.NamedSemaphore#acquireForProcess}), and returns by itself if the process dies.
 */
public interface ConnectionSemaphore {

    /** The semaphore's name in its space. */
    String name();

    /** How many permits it has in all. */
    int permits();

    /** How many permits are free now (a snapshot). */
    int availablePermits();

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @throws io.futexra.LockTimeoutException if none came free in time
     */
    Held acquire(Duration timeout);

    /** Takes a permit only if one is free now. */
    Optional<Held> tryAcquire();

    /**
     * Takes a permit until the current JTA transaction commits or rolls back (see
     * {@link ConnectionLock#acquireForTransaction}); a second call in the same transaction returns
     * the same permit.
     *
     * @throws IllegalStateException if the calling thread has no active transaction
     */
    TransactionHold acquireForTransaction(Duration timeout);
}
