package io.futexra.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.Semaphore;
import org.quartz.impl.jdbcjobstore.StdRowLockSemaphore;

/**
 * Not a test: the driver of the numbers for {@link FutexLockHandler} against Quartz's
 * {@code StdRowLockSemaphore} on the same H2 server in the same run. Its name keeps it out of the
 * default build; run it with
 * {@code mvn -pl integrations/quartz -am -Dtest=QuartzLockBenchmark -Dsurefire.failIfNoSpecifiedTests=false test}.
 * It prints, per handler, (1) the time of one locked job store operation as Quartz's
 * {@code executeInNonManagedTXLock} does it (connection, obtain, commit, release) with 1 and 4
 * threads, and (2) the time from due to fired for a batch of triggers on a two-JVM cluster.
 */
class QuartzLockBenchmark {

    private static final int WARMUP = 2_000;
    private static final int OPERATIONS = 10_000;
    private static final int TRIGGERS = 300;

    @TempDir
    Path dir;

    @Test
    void compareLockedOperations() throws Exception {
        try (H2Database db = H2Database.start()) {
            JdbcConnectionPool pool = JdbcConnectionPool.create(db.url(), "sa", "");
            pool.setMaxConnections(10);
            for (int round = 0; round < 2; round++) {   // alternate, so neither always runs on a colder JVM
                for (String kind : List.of("futex", "rows")) {
                    for (int threads : new int[] {1, 4}) {
                        Semaphore handler = handler(kind);
                        run(pool, handler, 1, WARMUP);
                        long nanos = run(pool, handler, threads, OPERATIONS);
                        System.out.printf("round %d  %-5s  %d thread(s)  %,8.1f µs per locked operation (%,d ops)%n",
                                round, kind, threads, nanos / 1000.0 / OPERATIONS, OPERATIONS);
                    }
                }
            }
            pool.dispose();
        }
    }

    @Test
    void compareTriggerFiringOnATwoJvmCluster() throws Exception {
        for (String kind : List.of("futex", "rows", "futex", "rows")) {
            try (H2Database db = H2Database.start()) {
                Path counter = dir.resolve("counter");
                try (NodeProcess a = NodeProcess.start(db.url(), "node-a", kind, dir.toString(), "bench", counter.toString(), "run");
                     NodeProcess b = NodeProcess.start(db.url(), "node-b", kind, dir.toString(), "bench", counter.toString(), "run")) {
                    a.awaitLine("started", java.time.Duration.ofSeconds(90));
                    b.awaitLine("started", java.time.Duration.ofSeconds(90));
                    Scheduler client = new StdSchedulerFactory(ClusterConfig.of(db.url(), "client", kind, dir.toString(), "bench"))
                            .getScheduler();
                    long due = System.currentTimeMillis() + 3000;
                    for (int i = 0; i < TRIGGERS; i++) {
                        client.scheduleJob(JobBuilder.newJob(RecordingJob.class).withIdentity("job-" + i).build(),
                                TriggerBuilder.newTrigger().withIdentity("once-" + i).startAt(new Date(due)).build());
                    }
                    while (db.count("SELECT COUNT(*) FROM FIRES") < TRIGGERS) {
                        Thread.sleep(5);
                    }
                    long elapsed = System.currentTimeMillis() - due;
                    client.shutdown();
                    assertEquals(TRIGGERS, db.count("SELECT COUNT(DISTINCT TRIGGER_NAME) FROM FIRES"));
                    System.out.printf("%-5s  %d triggers due at once on 2 scheduler JVMs: all fired %,d ms after due,"
                            + " %.2f ms per trigger%n", kind, TRIGGERS, elapsed, (double) elapsed / TRIGGERS);
                }
            }
        }
    }

    private Semaphore handler(String kind) {
        if (kind.equals("rows")) {
            StdRowLockSemaphore rows = new StdRowLockSemaphore();
            rows.setTablePrefix("QRTZ_");
            rows.setSchedName(ClusterConfig.SCHEDULER_NAME);
            return rows;
        }
        FutexLockHandler futex = new FutexLockHandler();
        futex.setSpaceDirectory(dir.toString());
        futex.setSpaceName("bench");
        futex.setTablePrefix("QRTZ_");
        futex.setSchedName(ClusterConfig.SCHEDULER_NAME);
        return futex;
    }

    /** {@code threads} threads doing {@code operations} locked operations in all; returns the wall time. */
    private static long run(JdbcConnectionPool pool, Semaphore handler, int threads, int operations) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(() -> {
                    for (int i = 0; i < operations / threads; i++) {
                        lockedOperation(pool, handler);
                    }
                    return null;
                });
            }
            long start = System.nanoTime();
            for (Future<Void> done : executor.invokeAll(work)) {
                done.get();
            }
            return System.nanoTime() - start;
        } finally {
            executor.shutdown();
        }
    }

    /** What JobStoreSupport.executeInNonManagedTXLock does around its callback, without the callback. */
    private static void lockedOperation(JdbcConnectionPool pool, Semaphore handler) throws Exception {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            handler.obtainLock(connection, "TRIGGER_ACCESS");
            try {
                connection.commit();
            } finally {
                handler.releaseLock("TRIGGER_ACCESS");
            }
        }
    }
}
