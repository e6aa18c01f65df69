package io.futexra.quartz;

import java.util.Properties;

/** The Quartz properties of one scheduler of the test cluster: clustered JobStoreTX on the H2 server. */
final class ClusterConfig {

    static final String SCHEDULER_NAME = "futex-cluster";

    private ClusterConfig() {
    }

    /**
     * @param lockHandler {@code futex} for {@link FutexLockHandler} (in space {@code spaceName} of
     *     {@code spaceDirectory}), {@code rows} for Quartz's {@code StdRowLockSemaphore}
     */
    static Properties of(String dbUrl, String instanceId, String lockHandler, String spaceDirectory, String spaceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        // look for new triggers every second (Quartz's least): another JVM's scheduleJob wakes no one here
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "db");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
        p.setProperty("org.quartz.dataSource.db.connectionProvider.class", H2ConnectionProvider.class.getName());
        p.setProperty("org.quartz.dataSource.db.url", dbUrl);
        if (lockHandler.equals("futex")) {
            p.setProperty("org.quartz.jobStore.lockHandler.class", FutexLockHandler.class.getName());
            p.setProperty("org.quartz.jobStore.lockHandler.spaceDirectory", spaceDirectory);
            p.setProperty("org.quartz.jobStore.lockHandler.spaceName", spaceName);
        } else if (lockHandler.equals("rows")) {
            p.setProperty("org.quartz.jobStore.lockHandler.class", "org.quartz.impl.jdbcjobstore.StdRowLockSemaphore");
        } else {
            throw new IllegalArgumentException("lock handler must be futex or rows, was " + lockHandler);
        }
        return p;
    }
}
