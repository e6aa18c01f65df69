package io.futexra.jbatch;

/**
 * The job lock of a job execution was lost while the job ran (ZooKeeper: its node was deleted, its
 * session expired, or the connection was cut off past the point where another client may hold
 * it; shared memory: its space was removed or damaged): another run of the job may be under way.
 * Thrown by {@link JobLocks#checkHeld} and so by {@link JobLockChunkListener} before a chunk,
 * failing the step.
 */
public final class JobLockLostException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * A loss, said in {@code message}.
     *
     * @param message what was lost and what it means
     */
    public JobLockLostException(String message) {
        super(message);
    }
}
