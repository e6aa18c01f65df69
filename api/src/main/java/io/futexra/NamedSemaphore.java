package io.futexra;

import java.time.Duration;
import java.util.Optional;

/**
 * A named counting semaphore shared by every process on the host: at most {@link #permits()}
 * holders at once.
 *
 * <p>Each permit is a robust record in shared memory owned by the thread that acquired it, so a
 * permit held by a process that dies (or a thread that ends) returns to the pool by itself; the
 * next acquirer of that permit sees {@link Held#previousOwnerDied()}. Closing the {@link Held}
 * returns the permit; only the acquiring thread may close it, except for a permit taken with
 * {@link #acquireForProcess(Duration)}, which any thread of the process may close. Not reentrant:
 * each acquisition takes another permit. At most 64 permits. Greedy: a returned permit goes to whichever waiter
 * or arrival takes it first.
 */
public interface NamedSemaphore {

    /**
     * The largest permit count a semaphore can have <em>in shared memory</em> (one hold record per
     * permit in the object's slot); other backends document their own limit, which may be higher.
     */
    int MAX_PERMITS = 64;

    /** {@return the semaphore's name in its space} */
    String name();

    /** {@return how many permits it has in all} */
    int permits();

    /** {@return how many permits are free now (a snapshot)} */
    int availablePermits();

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @return the permit: close it to return it
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     */
    Held acquire();

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @return the permit: close it to return it
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     * @throws LockTimeoutException if none came free in time
     */
    Held acquire(Duration timeout);

    /**
     * Takes a permit only if one is free now; never waits.
     *
     * @return the permit, or empty if every permit is taken
     */
    Optional<Held> tryAcquire();

    /**
     * Takes a permit on behalf of this process, waiting at most {@code timeout}: any thread of this
     * process may close the result, exactly once (a second close does nothing); the permit returns,
     * flagged as abandoned for its next taker, if the process dies first. Like every acquisition,
     * it takes another permit.
     *
     * @param timeout how long to wait at most, on the monotonic clock (zero or negative: try once)
     * @return the permit, owned by this process
     * @throws LockTimeoutException if none came free in time
     */
    Held acquireForProcess(Duration timeout);
}
