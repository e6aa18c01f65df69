package io.futexra.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Two scheduler JVMs on one clustered JDBC job store (an H2 server on loopback) with
 * {@link FutexLockHandler} in place of the {@code QRTZ_LOCKS} rows. The test JVM only schedules,
 * through a third scheduler it never starts (which takes the same futex lock to write).
 *
 * <p>Cost: about 10-20 s (three JVMs, an H2 server).
 */
class QuartzClusterTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(90);
    private static final String TRIGGER_LOCK = "quartz/" + ClusterConfig.SCHEDULER_NAME + "/QRTZ_TRIGGER_ACCESS";
    private static final String STATE_LOCK = "quartz/" + ClusterConfig.SCHEDULER_NAME + "/QRTZ_STATE_ACCESS";

    @TempDir
    Path dir;

    private H2Database db;
    private Scheduler client;

    @BeforeEach
    void startDatabase() throws Exception {
        db = H2Database.start();
        client = new StdSchedulerFactory(ClusterConfig.of(db.url(), "test-client", "futex", dir.toString(), "quartz-test"))
                .getScheduler();
    }

    @AfterEach
    void stopDatabase() throws Exception {
        client.shutdown();
        db.close();
    }

    @Test
    void shouldFireEveryTriggerExactlyOnceAcrossTwoSchedulerJvms() throws Exception {
        Path counterFile = dir.resolve("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        try (NodeProcess a = node("node-a", counterFile, "run"); NodeProcess b = node("node-b", counterFile, "run")) {
            a.awaitLine("started", HANG_GUARD);
            b.awaitLine("started", HANG_GUARD);

            int oneShots = 40;
            int serialRepeats = 10;
            Date soon = new Date(System.currentTimeMillis() + 1000);
            for (int i = 0; i < oneShots; i++) {
                client.scheduleJob(JobBuilder.newJob(RecordingJob.class).withIdentity("job-" + i).build(),
                        TriggerBuilder.newTrigger().withIdentity("once-" + i).startAt(soon).build());
            }
            client.scheduleJob(JobBuilder.newJob(SerialJob.class).withIdentity("serial").build(),
                    TriggerBuilder.newTrigger().withIdentity("serial").startAt(soon).withSchedule(SimpleScheduleBuilder
                            .simpleSchedule().withIntervalInMilliseconds(10).withRepeatCount(serialRepeats - 1)).build());

            awaitAllFired(oneShots + serialRepeats);

            assertEquals(oneShots + serialRepeats, db.count("SELECT COUNT(*) FROM FIRES"), "fires in all");
            assertEquals(oneShots, db.count("SELECT COUNT(DISTINCT TRIGGER_NAME) FROM FIRES WHERE TRIGGER_NAME LIKE 'once-%'"),
                    "each one-shot trigger fired");
            assertEquals(serialRepeats, counter.count(), "serial job runs (plain counter)");
            assertEquals(0, counter.overlaps(), "two runs of the @DisallowConcurrentExecution job at once");
            assertNoMisfires(a, b);
            ObjectInfo lock = triggerLock();
            assertTrue(lock.acquisitions() > oneShots, "the job store took the futex lock: " + lock);
            assertFalse(lock.isHeld(), "the lock is free between acquisitions: " + lock);
            ObjectInfo state = lockInfo(STATE_LOCK);
            assertTrue(state.acquisitions() >= 2, "each node's first cluster check-in took STATE_ACCESS: " + state);
            assertFalse(state.isHeld(), state.toString());
            System.out.printf("fires by node: %s; %s%n", firesByNode(), lock);
        }
        assertFalse(triggerLock().isHeld(), "the lock is free after both schedulers shut down");
    }

    @Test
    void shouldLetTheOtherSchedulerOnWhenTheLockHolderIsKilled() throws Exception {
        Path counterFile = dir.resolve("counter");
        int triggers = 5;
        for (int i = 0; i < triggers; i++) {   // due now; fired once a scheduler gets TRIGGER_ACCESS
            client.scheduleJob(JobBuilder.newJob(RecordingJob.class).withIdentity("job-" + i).build(),
                    TriggerBuilder.newTrigger().withIdentity("once-" + i).startNow().build());
        }
        try (NodeProcess holder = node("holder", counterFile, "hold")) {
            holder.awaitLine("held", HANG_GUARD);
            assertEquals(holder.pid(), triggerLock().holderPid(), "the holder JVM owns TRIGGER_ACCESS");
            try (NodeProcess b = node("node-b", counterFile, "run")) {
                b.awaitLine("started", HANG_GUARD);
                awaitWaiters();                       // node-b acquired a trigger and sleeps on the futex to fire it
                assertEquals(0, db.count("SELECT COUNT(*) FROM FIRES"), "nothing fired while the lock was held");
                holder.kill();
                awaitAllFired(triggers);
                assertEquals(triggers, db.count("SELECT COUNT(*) FROM FIRES"), "fires after the holder's death");
                assertEquals(1, triggerLock().ownerDiedCount(), "the kernel freed the dead holder's lock: " + triggerLock());
                assertNoMisfires(b);
            }
        }
    }

    private NodeProcess node(String instanceId, Path counterFile, String mode) throws Exception {
        return NodeProcess.start(db.url(), instanceId, "futex", dir.toString(), "quartz-test", counterFile.toString(), mode);
    }

    /** Waits until {@code expected} fires are recorded and no trigger is left or in flight. */
    private void awaitAllFired(int expected) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (db.count("SELECT COUNT(*) FROM FIRES") < expected || db.count("SELECT COUNT(*) FROM QRTZ_TRIGGERS") > 0
                || db.count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + HANG_GUARD + ": " + db.count("SELECT COUNT(*) FROM FIRES") + " of "
                        + expected + " fires; triggers left: " + db.count("SELECT COUNT(*) FROM QRTZ_TRIGGERS"));
            }
            Thread.sleep(50);
        }
    }

    private void awaitWaiters() throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (triggerLock().waiters() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no scheduler thread came to wait for the held lock: " + triggerLock());
            }
            Thread.sleep(20);
        }
    }

    private ObjectInfo triggerLock() {
        return lockInfo(TRIGGER_LOCK);
    }

    private ObjectInfo lockInfo(String name) {
        try (LockSpace space = LockSpace.open(dir, "quartz-test")) {
            return space.objects().stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no lock " + name + " in " + space.objects()));
        }
    }

    private String firesByNode() throws SQLException {
        return "node-a " + db.count("SELECT COUNT(*) FROM FIRES WHERE INSTANCE_ID = 'node-a'")
                + ", node-b " + db.count("SELECT COUNT(*) FROM FIRES WHERE INSTANCE_ID = 'node-b'");
    }

    private static void assertNoMisfires(NodeProcess... nodes) {
        for (NodeProcess node : nodes) {
            assertTrue(node.output().stream().noneMatch(line -> line.startsWith("misfired")), node.transcript());
        }
    }
}
