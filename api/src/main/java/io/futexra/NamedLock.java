package io.futexra;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A named mutual-exclusion lock shared by every process on the host that opens its space.
 *
 * <p><b>Ownership.</b> A lock is owned by the platform thread that acquired it, like
 * {@link java.util.concurrent.locks.ReentrantLock}, and is released by closing the returned
 * {@link Held} on that thread; another thread gets {@link IllegalMonitorStateException}.
 * Ownership is recorded in shared memory (the owner's kernel thread id), so it is the same lock
 * whichever {@link LockSpace} handle or process looks at it.
 *
 * <p><b>Reentrancy.</b> The owner may acquire again; each acquisition returns a {@code Held}
 * and the lock is free once as many have been closed.
 *
 * <p><b>Barging.</b> The default policy is greedy: a release frees the lock and wakes one
 * sleeper, and a running thread may take the lock first. That is the best throughput; it is not
 * FIFO.
 *
 * <p><b>Waiting.</b> {@link #acquire()} waits for ever, {@link #acquire(Duration)} until the
 * timeout on the monotonic clock ({@link LockTimeoutException}), {@link #tryAcquire()} never.
 * Every wait can be interrupted, even while asleep in the kernel: it ends with
 * {@link LockInterruptedException}, the interrupt flag left set. The interrupt flag is looked at
 * only when the thread has to wait.
 *
 * <p><b>Owner death.</b> If the owning thread ends without releasing — its process killed with
 * SIGKILL, crashed, or the thread simply exited — the kernel frees the lock and wakes one waiter;
 * that waiter, or the next acquirer if none was waiting, gets a {@code Held} whose
 * {@link Held#previousOwnerDied()} is {@code true}. A holder that hangs or is stopped (SIGSTOP) is
 * not dead, and keeps the lock.
 *
 * <p><b>Process-owned acquisitions.</b> {@link #acquireForProcess(Duration)} acquires on behalf of
 * this process rather than the calling thread: any thread of the process may close the returned
 * {@code Held}, and the kernel frees the lock when the process dies. That is what a lock held
 * until a JTA transaction completes needs (the completion may run on another thread). Such an
 * acquisition is never reentrant: a second one in the same process waits for the first, like a
 * second transaction on a locked row (on the read side of a {@link NamedReadWriteLock}, process-owned
 * read holds are shared like any read holds).
 *
 * <p><b>As a {@link Lock}.</b> {@link #asLock()} adapts the lock to {@code java.util.concurrent}'s
 * interface, for code that takes one.
 *
 * <p><b>Virtual threads</b> (Java 21+) own locks as platform threads do, with the same
 * reentrancy, release and interrupt rules; a virtual thread that waits parks, freeing its carrier
 * (the shared-memory backend hands the kernel wait to a platform thread). In the shared-memory
 * backend the kernel sees the process as the owner, so a virtual thread that ends while holding
 * keeps the lock until its process ends, as a {@code ReentrantLock} stays locked; the next
 * holder is then told {@link Held#previousOwnerDied()}.
 */
public interface NamedLock {

    /** {@return the lock's name in its space} */
    String name();

    /**
     * Acquires, waiting as long as it takes.
     *
     * @return the acquisition: close it to release
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     */
    Held acquire();

    /**
     * Acquires, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @return the acquisition: close it to release
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     * @throws LockTimeoutException if the timeout passed first (a zero or negative timeout tries once)
     */
    Held acquire(Duration timeout);

    /**
     * Acquires only if the lock is free (or already held by this thread) now; never waits.
     *
     * @return the acquisition, or empty if another owner holds the lock
     */
    Optional<Held> tryAcquire();

    /**
     * Acquires on behalf of this process, waiting at most {@code timeout}: any thread of this
     * process may close the result, exactly once; the lock is freed, flagged as abandoned, if the
     * process dies first.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @return the acquisition: close it (on any thread of this process) to release
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     * @throws LockTimeoutException if the timeout passed first
     * @throws IllegalStateException if the calling thread holds the lock itself (it would wait for
     *     itself)
     */
    Held acquireForProcess(Duration timeout);

    /** {@return whether the calling thread owns the lock (process-owned acquisitions do not count)} */
    boolean isHeldByCurrentThread();

    /**
     * This lock as a {@link Lock}, the same view on every call on this handle: {@code lock}, {@code lockInterruptibly},
     * {@code tryLock} and {@code unlock} on the calling thread, reentrant, with {@code Lock}'s
     * interrupt rules; {@code unlock} by a thread that did not lock through the view throws
     * {@link IllegalMonitorStateException}. The view gives neither the fencing token nor
     * {@link Held#previousOwnerDied()} (use {@link #acquire()} when those matter), and its
     * {@code newCondition} throws {@link UnsupportedOperationException}: a condition cannot work
     * across processes; signal with a {@link NamedEvent} instead.
     *
     * @return the view, the same object on every call
     */
    Lock asLock();
}
