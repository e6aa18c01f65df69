/**
 * Quartz's JDBC job store with futex-ra locks instead of {@code QRTZ_LOCKS} rows: set
 * {@code org.quartz.jobStore.lockHandler.class = io.futexra.quartz.FutexLockHandler}. The job store,
 * its tables, its cluster check-in and misfire handling stay Quartz's; only the two locks that
 * serialize trigger acquisition and cluster recovery ({@code TRIGGER_ACCESS}, {@code STATE_ACCESS})
 * move from database rows to named locks in shared memory, which cover the schedulers of one host.
 */
package io.futexra.quartz;
