package io.futexra.jbatch;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Releases the lock {@link JobLockBatchlet} took for the job execution when the job ends —
 * completed, failed or stopped. Declare it in the job's {@code <listeners>}; a job whose lock step
 * found the lock busy holds nothing, and this does nothing. If the lock was lost while the job ran
 * (or is not known held when the job ends), the job's exit status becomes {@link #LOCK_LOST},
 * whatever it was: the job ran, at least in part, without the lock.
 */
@Named
public class JobLockListener extends AbstractJobListener {

    /** The job's exit status when its lock was lost while it ran. */
    public static final String LOCK_LOST = "LOCK_LOST";

    @Inject
    JobContext jobContext;

    @Override
    public void afterJob() {
        if (JobLocks.release(jobContext.getExecutionId()) == JobLocks.Release.LOST) {
            jobContext.setExitStatus(LOCK_LOST);
        }
    }
}
