package io.futexra.jbatch;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import java.util.Properties;

/** The job context a batch runtime would inject: a job name, an execution id and an exit status. */
final class TestJobContext implements JobContext {

    private final long executionId;
    private String exitStatus;
    private Object transientUserData;

    TestJobContext(long executionId) {
        this.executionId = executionId;
    }

    @Override
    public String getJobName() {
        return "nightly-import";
    }

    @Override
    public Object getTransientUserData() {
        return transientUserData;
    }

    @Override
    public void setTransientUserData(Object data) {
        transientUserData = data;
    }

    @Override
    public long getInstanceId() {
        return executionId;
    }

    @Override
    public long getExecutionId() {
        return executionId;
    }

    @Override
    public Properties getProperties() {
        return new Properties();
    }

    @Override
    public BatchStatus getBatchStatus() {
        return BatchStatus.STARTED;
    }

    @Override
    public String getExitStatus() {
        return exitStatus;
    }

    @Override
    public void setExitStatus(String status) {
        exitStatus = status;
    }
}
