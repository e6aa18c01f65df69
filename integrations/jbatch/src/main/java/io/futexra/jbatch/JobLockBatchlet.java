package io.futexra.jbatch;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The first step of a job that must not run twice at once on this host: takes the named lock
 * {@code lockName} for the job execution and ends with exit status {@code LOCKED}; if the lock is
 * still busy after {@code timeoutSeconds} (default 0: try once), ends with exit status {@code BUSY}
 * ({@code skipIfBusy}, the default) or fails the step ({@code skipIfBusy=false}). The job XML maps
 * {@code BUSY} to the end of the job, so a busy job reads as completed with exit status
 * {@code BUSY}, not as a failure:
 *
 * <pre>{@code
 * <listeners><listener ref="io.futexra.jbatch.JobLockListener"/></listeners>
 * <step id="lock">
 *   <batchlet ref="io.futexra.jbatch.JobLockBatchlet">
 *     <properties><property name="lockName" value="nightly-import"/></properties>
 *   </batchlet>
 *   <end on="BUSY" exit-status="BUSY"/>
 *   <next on="LOCKED" to="import"/>
 * </step>
 * }</pre>
 *
 * <p>The lock is taken through the resource adapter's {@code LockFactory} (JNDI name
 * {@code lockFactory}, default {@code java:/futex-ra/LockFactory}), held for the process until
 * {@link JobLockListener} releases it when the job ends. Later steps read its fencing token and
 * previous-owner-died flag through {@link JobLocks#held}. {@code stop()} does nothing: a lock step
 * waits at most its timeout.
 */
@Named
public class JobLockBatchlet extends AbstractBatchlet {

    /** The step's exit status when it holds the lock. */
    public static final String LOCKED = "LOCKED";
    /** The step's exit status when the lock was busy and {@code skipIfBusy} is true. */
    public static final String BUSY = "BUSY";

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty
    String lockName;

    @Inject
    @BatchProperty
    String timeoutSeconds;

    @Inject
    @BatchProperty
    String skipIfBusy;

    @Inject
    @BatchProperty
    String lockFactory;

    private Duration timeout() {
        try {
            return Duration.ofSeconds(timeoutSeconds == null ? 0 : Long.parseLong(timeoutSeconds.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("JobLockBatchlet of job '" + jobContext.getJobName() + "': timeoutSeconds '"
                    + timeoutSeconds + "' is not a whole number of seconds (0: try once)", e);
        }
    }

    @Override
    public String process() throws NamingException {
        if (lockName == null || lockName.isBlank()) {
            throw new IllegalArgumentException("JobLockBatchlet of job '" + jobContext.getJobName()
                    + "' has no lockName: add <property name=\"lockName\" value=\"...\"/> to its batchlet");
        }
        Duration timeout = timeout();
        String jndiName = lockFactory == null ? "java:/futex-ra/LockFactory" : lockFactory;
        LockConnection connection = ((LockFactory) new InitialContext().lookup(jndiName)).getConnection();
        try {
            Held held = connection.lock(lockName).acquire(timeout);
            JobLocks.put(jobContext.getExecutionId(), connection, held);
            return LOCKED;
        } catch (LockTimeoutException e) {
            connection.close();
            if (skipIfBusy == null || Boolean.parseBoolean(skipIfBusy.trim())) {
                return BUSY;
            }
            throw e;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
