package io.futexra.quartz;

import io.futexra.testing.SharedCounter;
import java.io.IOException;
import java.nio.file.Path;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * A job Quartz must never run twice at once anywhere in the cluster (its BLOCKED trigger state,
 * guarded by TRIGGER_ACCESS): runs inside the shared overlap detector and bumps its plain counter.
 */
@DisallowConcurrentExecution
public class SerialJob extends RecordingJob {

    static final String COUNTER_FILE = "counterFile";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            SharedCounter counter = SharedCounter.open(Path.of((String) context.getScheduler().getContext().get(COUNTER_FILE)));
            counter.enterExclusive();
            try {
                counter.incrementPlain();
                Thread.sleep(20); // long enough for the next repeat to be due while this one runs
            } finally {
                counter.exitExclusive();
            }
        } catch (IOException | SchedulerException e) {
            throw new JobExecutionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException(e);
        }
        super.execute(context);
    }
}
