package io.futexra.jbatch;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Releases the lock {@link JobLockBatchlet} took for the job execution when the job ends —
 * completed, failed or stopped. Declare it in the job's {@code <listeners>}; a job whose lock step
 * found the lock busy holds nothing, and this does nothing.
 */
@Named
public class JobLockListener extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    @Override
    public void afterJob() {
        JobLocks.release(jobContext.getExecutionId());
    }
}
