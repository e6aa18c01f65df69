package io.futexra.jbatch;

import jakarta.batch.api.chunk.listener.AbstractChunkListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Fails a chunk step at its next chunk once the job's lock is lost: before each chunk it calls
 * {@link JobLocks#checkHeld}, which throws {@link JobLockLostException} if the lock
 * {@link JobLockBatchlet} took for the job execution is no longer held. The chunk does not run
 * (its transaction rolls back), the step and the job end {@code FAILED}, and
 * {@link JobLockListener} sets the job's exit status to {@link JobLockListener#LOCK_LOST}; the job
 * can be restarted from its last checkpoint once the other run is over. Declare it in the
 * {@code <listeners>} of each chunk step that must not go on without the lock. A chunk already
 * running when the lock goes still commits: pass the fencing token ({@link JobLocks#held}) to what
 * its writer writes where that matters.
 */
@Named
public class JobLockChunkListener extends AbstractChunkListener {

    @Inject
    JobContext jobContext;

    @Override
    public void beforeChunk() {
        JobLocks.checkHeld(jobContext.getExecutionId());
    }
}
