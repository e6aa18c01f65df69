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
 * returns the permit; only the acquiring thread may close it. Not reentrant: each acquisition
 * takes another permit. At most 64 permits. Greedy: a returned permit goes to whichever waiter
 * or arrival takes it first.
 */
public interface NamedSemaphore {

    /**
     * The largest permit count a semaphore can have <em>in shared memory</em> (one hold record per
     * permit in the object's slot); other backends document their own limit, which may be higher.
     */
    int MAX_PERMITS = 64;

    /** The semaphore's name in its space. */
    String name();

    /** How many permits it has in all. */
    int permits();

    /** How many permits are free now (a snapshot). */
    int availablePermits();

    /** Takes a permit, waiting as long as it takes. */
    Held acquire();

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @throws LockTimeoutException if none came free in time
     */
    Held acquire(Duration timeout);

    /** Takes a permit only if one is free now. */
    Optional<Held> tryAcquire();
}
