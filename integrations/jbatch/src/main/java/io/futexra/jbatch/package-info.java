/**
 * Jakarta Batch jobs that run on one server or batch JVM of the host at a time: the job's first step
 * is {@link io.futexra.jbatch.JobLockBatchlet}, which takes a named futex-ra lock for the job
 * execution (or ends the job with exit status {@code BUSY}), and
 * {@link io.futexra.jbatch.JobLockListener} releases it when the job ends, however it ends.
 * The steps in between read the lock's fencing token and previous-owner-died flag through
 * {@link io.futexra.jbatch.JobLocks#held}; {@link io.futexra.jbatch.JobLockChunkListener} fails a
 * chunk step at its next chunk once the lock is lost, and the job then ends with exit status
 * {@code LOCK_LOST}.
 */
package io.futexra.jbatch;
