/**
 * ShedLock on futex-ra: {@link io.futexra.shedlock.FutexLockProvider} makes every
 * {@code @SchedulerLock} task (or {@code LockingTaskExecutor} call) take a named futex-ra lock, so
 * it runs once at a time across every JVM on the host, and {@link io.futexra.shedlock.TaskLock}
 * shows the running task its fencing token and whether the previous holder died.
 */
package io.futexra.shedlock;
