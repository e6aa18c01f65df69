package io.futexra.jbatch;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job locks this JVM holds now, by job execution id: taken by {@link JobLockBatchlet}, read by
 * the job's steps, released by {@link JobLockListener}. A lock is held for the process (any thread
 * may release it, as JBeret may run the job's end on another thread than its first step); if the
 * JVM dies the kernel frees it and its next holder is told the previous owner died.
 */
public final class JobLocks {

    private static final Map<Long, Hold> HOLDS = new ConcurrentHashMap<>();

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

    static void put(long executionId, LockConnection connection, Held held) {
        Hold previous = HOLDS.put(executionId, new Hold(connection, held));
        if (previous != null) {
            previous.release(); // the lock step ran twice in one execution (a loop in the job XML)
        }
    }

    /** Releases the execution's lock, if it holds one; returns whether it did. */
    static boolean release(long executionId) {
        Hold hold = HOLDS.remove(executionId);
        if (hold == null) {
            return false;
        }
        hold.release();
        return true;
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
