package io.futexra;

/**
 * One acquisition of a named object, released by {@link #close()}: use it in try-with-resources.
 *
 * <p>A {@code Held} belongs to the thread that acquired it. Closing it on another thread throws
 * {@link IllegalMonitorStateException} and releases nothing. A process-owned acquisition
 * ({@link NamedLock#acquireForProcess}, {@link NamedSemaphore#acquireForProcess}) is the exception:
 * any thread of the process may close it. Closing it twice is harmless: the second close does
 * nothing.
 */
public interface Held extends AutoCloseable {

    /**
     * A number that grows with every exclusive acquisition of this object, across all processes
     * on the host: pass it to a downstream system so that it can reject a stale holder (one that
     * lost the lock while paused). Reentrant acquisitions return the outer acquisition's token.
     *
     * @return the token, at least 1
     */
    long fencingToken();

    /**
     * Whether the previous holder died holding the object (kill -9, crash, its thread ended):
     * whatever it protected may be half-updated; repair it before relying on it.
     *
     * @return {@code true} if the previous holder died holding it
     */
    boolean previousOwnerDied();

    /**
     * Whether this acquisition still holds its object, as far as this process can tell now: false
     * once closed, and false once the backend knows the hold was lost — ZooKeeper: the session that
     * held it expired or the connection is suspended (the ensemble may have given the object to
     * another client); shared memory: for a lock or a write hold, the object's word no longer names
     * this holder (its space was overwritten); a semaphore permit or a read hold is a record the
     * backend does not re-read, so for those only closing turns the answer false. A true answer can
     * be stale by the time it is used: that is what {@link #fencingToken()} is for.
     *
     * @return whether the acquisition still holds, as far as is known now
     */
    boolean isHeld();

    /** Releases this acquisition (for a reentrant lock, one level of it). */
    @Override
    void close();
}
