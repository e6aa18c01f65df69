package io.futexra.jca;

import io.futexra.Held;
import io.futexra.NamedSemaphore;
import java.time.Duration;

/**
 * A {@link NamedSemaphore} reached through a {@link LockConnection}: at most
 * {@link #permits()} holders across every process on the host. A permit taken through a
 * connection may be returned by any thread, and is returned by closing the connection (with a
 * {@code FUTEXRA010} warning) or by the container's cleanup; it is owned by the process
 * ({@link NamedSemaphore#acquireForProcess}), and returns by itself if the process dies.
 */
public interface ConnectionSemaphore extends NamedSemaphore {

    /**
     * Takes a permit for the process, tracked by the connection like {@link #acquire(Duration)}:
     * every permit taken through a connection is the process's.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @return the permit: close it (on any thread) to return it
     * @throws io.futexra.LockTimeoutException if none came free in time
     */
    @Override
    Held acquireForProcess(Duration timeout);

    /**
     * Takes a permit until the current JTA transaction commits or rolls back (see
     * {@link ConnectionLock#acquireForTransaction}); a second call in the same transaction returns
     * the same permit.
     *
     * @param timeout how long to wait for a permit
     * @return the acquisition's fencing token and whether the previous owner died
     * @throws io.futexra.LockTimeoutException if none came free in time; nothing is held
     * @throws IllegalStateException if the calling thread has no active transaction
     */
    TransactionHold acquireForTransaction(Duration timeout);
}
