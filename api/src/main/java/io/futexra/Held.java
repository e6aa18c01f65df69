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
     * once closed, and false once the backend knows the hold was lost — ZooKeeper: its node was
     * deleted, the session that held it expired or may have (the client was cut off, or did not
     * run, for a third of the session timeout), or the connection is suspended (the ensemble may
     * be giving the object to another client; true again if it reconnects in time); shared memory: for a lock or a write hold, the object's word no longer names
     * this holder (its space was overwritten); a semaphore permit or a read hold is a record the
     * backend does not re-read, so for those only closing turns the answer false. A true answer can
     * be stale by the time it is used: that is what {@link #fencingToken()} is for.
     *
     * @return whether the acquisition still holds, as far as is known now
     */
    boolean isHeld();

    /**
     * Asks to be told when this acquisition is lost other than by its own {@link #close()}: once
     * the backend learns that it no longer holds (ZooKeeper: its node was deleted, its session
     * expired or may have; shared memory: its space file was removed, replaced or found truncated,
     * or the word of a lock or write hold no longer names this holder because a co-writer of the
     * space overwrote it — each found within about a second), {@code action} runs once, on a
     * thread of the backend: keep it short and do not block in it. If the acquisition is already
     * known lost, {@code action} runs at once on the calling thread; after {@link #close()} it
     * never runs. What runs under the lock (a JTA transaction, a scheduled task) uses this to stop
     * or to refuse to commit; check {@link #isHeld()} too right before committing, since a loss
     * can come between the check and the commit.
     *
     * <p>The default implementation, for a backend that never learns of a loss by itself, runs
     * {@code action} at once if {@link #isHeld()} is already false and otherwise never.
     *
     * @param action what to run when the acquisition is lost
     * @return this acquisition
     */
    default Held onLost(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        if (!isHeld()) {
            action.run();
        }
        return this;
    }

    /** Releases this acquisition (for a reentrant lock, one level of it). */
    @Override
    void close();
}
