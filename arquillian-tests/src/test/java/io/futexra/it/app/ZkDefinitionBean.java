package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.it.inflow.app.Record;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.TransactionHold;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An EJB on the connection definition {@value #JNDI_NAME}, which the resource-adapters subsystem
 * configures for a ZooKeeper space ({@code spaceUri}): the application code is the same as on
 * shared memory. Methods that hold a lock record {@code held-LOCK TOKEN} (in
 * {@code -Dfutexra.samples.dir}) once they hold it, and keep it until the file {@code release}
 * exists.
 */
@Stateless
public class ZkDefinitionBean {

    /** The JNDI name the test's connection definition binds. */
    public static final String JNDI_NAME = "java:/futex-ra/ZkLockFactory";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Resource(lookup = JNDI_NAME)
    private LockFactory locks;

    /** Acquires {@code lock} (waiting up to 60 s), releases it: "TOKEN t DIED d". */
    public String acquireOnce(String lock) {
        try (LockConnection c = locks.getConnection(); Held h = c.lock(lock).acquire(WAIT)) {
            return "TOKEN " + h.fencingToken() + " DIED " + h.previousOwnerDied();
        }
    }

    /** Acquires {@code lock}, records it, holds it until {@code release} exists, releases: "TOKEN t". */
    public String holdUntil(String lock, Path release) throws InterruptedException {
        try (LockConnection c = locks.getConnection(); Held h = c.lock(lock).acquire(WAIT)) {
            Record.line("held-" + lock, Long.toString(h.fencingToken()));
            awaitFile(release);
            return "TOKEN " + h.fencingToken();
        }
    }

    /**
     * Acquires {@code lock} for the container's transaction and closes the connection, records it,
     * waits for {@code release}, then returns (the container commits) or, if {@code rollback},
     * throws (the container rolls back). Either way the lock is released only as the transaction ends.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String holdForTransactionUntil(String lock, Path release, boolean rollback) throws InterruptedException {
        TransactionHold hold;
        try (LockConnection c = locks.getConnection()) {
            hold = c.lock(lock).acquireForTransaction(WAIT);
        }
        Record.line("held-" + lock, Long.toString(hold.fencingToken()));
        awaitFile(release);
        if (rollback) {
            throw new IllegalStateException("deliberate failure: the transaction must roll back");
        }
        return "TOKEN " + hold.fencingToken();
    }

    private static void awaitFile(Path release) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(release)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the test did not create " + release + " within " + WAIT);
            }
            Thread.sleep(20); // the test's signal to let go
        }
    }
}
