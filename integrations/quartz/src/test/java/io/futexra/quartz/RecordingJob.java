package io.futexra.quartz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** Records each fire as a row of {@code FIRES}: trigger name and the scheduler instance that ran it. */
public class RecordingJob implements Job {

    static final String DB_URL = "dbUrl";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        record(context, "FIRES", context.getTrigger().getKey().getName());
    }

    static void record(JobExecutionContext context, String table, String triggerName) throws JobExecutionException {
        try (Connection c = DriverManager.getConnection((String) context.getScheduler().getContext().get(DB_URL), "sa", "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            insert.setString(1, triggerName);
            insert.setString(2, context.getScheduler().getSchedulerInstanceId());
            insert.executeUpdate();
        } catch (SQLException | SchedulerException e) {
            throw new JobExecutionException("cannot record the fire of " + triggerName, e);
        }
    }
}
