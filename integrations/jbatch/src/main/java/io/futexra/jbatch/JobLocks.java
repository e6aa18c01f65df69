package io.futexra.jbatch;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The job locks this JVM holds now, by job execution id: taken by {@link JobLockBatchlet}, read by
 * the job's steps, released by {@link JobLockListener}. A lock is held for the process (any thread
 * may release it, as JBeret may run the job's end on another thread than its first step); if the
 * JVM dies the kernel frees it and its next holder is told the previous owner died.
 *
 * <p><b>A lost lock</b> (ZooKeeper: its node deleted by another client, its session expired, the
 * connection cut off past the point where another client may hold it; shared memory: its space
 * removed or damaged) is logged as a warning when the backend tells it; nothing is stopped on a
 * backend thread. A step learns it through {@link #checkHeld} ({@link JobLockChunkListener} calls it
 * before every chunk) or {@link Held#isHeld()}/{@link Held#onLost}, and {@link JobLockListener} sets
 * the job's exit status to {@link JobLockListener#LOCK_LOST}.
 */
public final class JobLocks {

    private static final Logger LOG = Logger.getLogger(JobLocks.class.getName());
    private static final Map<Long, Hold> HOLDS = new ConcurrentHashMap<>();

    /** What {@link #release} found. */
    enum Release {
        /** The execution held no job lock. */
        NONE,
        /** Its lock was held to the end and is released. */
        RELEASED,
        /** Its lock was lost (or not known held) before the end; what is left of it is released. */
        LOST
    }

    private JobLocks() {
    }

    /**
     * The job lock of the execution {@code executionId} ({@code JobContext.getExecutionId()}), if its
     * lock step took it: its {@link Held#fencingToken()} to hand downstream, and
     * {@link Held#previousOwnerDied()} to know that a previous run died holding it.
     */
    public static Optional<Held> held(long executionId) {
        return Optional.ofNullable(HOLDS.get(executionId)).map(Hold::held);
    }

    /**
     * Throws if the execution {@code executionId} took a job lock and no longer holds it; does
     * nothing if it holds it, or took none.
     *
     * @param executionId the job execution ({@code JobContext.getExecutionId()})
     * @throws JobLockLostException if its job lock was lost (or is not known held now)
     */
    public static void checkHeld(long executionId) {
        Hold hold = HOLDS.get(executionId);
        if (hold != null && !hold.held().isHeld()) {
            throw new JobLockLostException(lost(executionId, hold.held()) + ": the step stops here, so that the job does"
                    + " not go on beside another run; restart the job once the other run is over");
        }
    }

    private static String lost(long executionId, Held held) {
        return "the job lock of job execution " + executionId + " (fencing token " + held.fencingToken() + ") was lost"
                + " while the job ran (ZooKeeper: its node was deleted, its session expired, or the connection was cut"
                + " off past the point where another client may hold it; shared memory: its space was removed or"
                + " damaged): another run of the job may be under way";
    }

    static void put(long executionId, LockConnection connection, Held held) {
        held.onLost(() -> LOG.log(Level.WARNING, () -> lost(executionId, held)));
        Hold previous = HOLDS.put(executionId, new Hold(connection, held));
        if (previous != null) {
            previous.release(); // the lock step ran twice in one execution (a loop in the job XML)
        }
    }

    /** Releases the execution's lock, if it took one; says whether it was still held. */
    static Release release(long executionId) {
        Hold hold = HOLDS.remove(executionId);
        if (hold == null) {
            return Release.NONE;
        }
        boolean lost = !hold.held().isHeld();
        hold.release();
        return lost ? Release.LOST : Release.RELEASED;
    }

    private record Hold(LockConnection connection, Held held) {
        void release() {
            try {
                held.close();
            } finally {
                connection.close();
            }
        }
    }
}
