package io.futexra.it.batch.app;

import io.futexra.Held;
import io.futexra.jbatch.JobLocks;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The job's real work, after its lock step: reports the lock's fencing token and previous-owner-died
 * flag as its exit status ({@code token=N died=B}), or fails if the job parameter {@code fail} is
 * {@code true} (to show the lock is released when a job fails).
 */
@Named
public class GuardedWorkBatchlet extends AbstractBatchlet {

    @Inject
    JobContext jobContext;

    @Override
    public String process() {
        Held held = JobLocks.held(jobContext.getExecutionId())
                .orElseThrow(() -> new IllegalStateException("the work step runs without the job lock"));
        if (Boolean.parseBoolean(jakarta.batch.runtime.BatchRuntime.getJobOperator()
                .getParameters(jobContext.getExecutionId()).getProperty("fail", "false"))) {
            throw new IllegalStateException("failing as asked (job parameter fail=true)");
        }
        return "token=" + held.fencingToken() + " died=" + held.previousOwnerDied();
    }
}
