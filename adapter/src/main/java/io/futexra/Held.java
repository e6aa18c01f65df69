package io.futexra;

/**
 * One acquisition of a named object, released by {@link #close()}: use it in try-with-resources.
 *
 * <p>A {@code Held} belongs to the thread that acquired it. Closing it on another thread throws
 * {@link IllegalMonitorStateException} and releases nothing. Closing it twice is harmless: the
 * second close does nothing.
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

    /** Releases this acquisition (for a reentrant lock, one level of it). */
    @Override
    void close();
}
