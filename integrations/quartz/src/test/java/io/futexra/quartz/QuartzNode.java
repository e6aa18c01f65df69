package io.futexra.quartz;

import java.util.Properties;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * A scheduler JVM of the test cluster (the test starts two). Arguments: database URL, instance id,
 * lock handler ({@code futex}/{@code rows}), space directory, space name, shared counter file, and
 * the mode: {@code run} starts the scheduler, prints {@code started}, and shuts it down when its
 * standard input closes; {@code hold} only obtains TRIGGER_ACCESS through {@link FutexLockHandler}
 * as the job store would, prints {@code held}, and keeps it until it is killed.
 */
public final class QuartzNode {

    private QuartzNode() {
    }

    public static void main(String[] args) throws Exception {
        String dbUrl = args[0];
        String instanceId = args[1];
        if (args[6].equals("hold")) {
            FutexLockHandler handler = new FutexLockHandler();
            handler.setSpaceDirectory(args[3]);
            handler.setSpaceName(args[4]);
            handler.setTablePrefix("QRTZ_");
            handler.setSchedName(ClusterConfig.SCHEDULER_NAME);
            handler.obtainLock(null, "TRIGGER_ACCESS");
            System.out.println("held");
            Thread.sleep(Long.MAX_VALUE);
        }
        Properties config = ClusterConfig.of(dbUrl, instanceId, args[2], args[3], args[4]);
        Scheduler scheduler = new StdSchedulerFactory(config).getScheduler();
        scheduler.getContext().put(RecordingJob.DB_URL, dbUrl);
        scheduler.getContext().put(SerialJob.COUNTER_FILE, args[5]);
        scheduler.getListenerManager().addTriggerListener(new MisfireRecorder());
        scheduler.start();
        System.out.println("started");
        while (System.in.read() >= 0) {
            // run until the test closes our standard input
        }
        scheduler.shutdown(true);
        System.out.println("stopped");
    }

    /** Reports every misfire on standard output: the test demands none. */
    private static final class MisfireRecorder extends TriggerListenerSupport {
        @Override
        public String getName() {
            return "misfire-recorder";
        }

        @Override
        public void triggerMisfired(Trigger trigger) {
            System.out.println("misfired " + trigger.getKey());
        }
    }
}
