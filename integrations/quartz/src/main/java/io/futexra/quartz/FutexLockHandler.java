package io.futexra.quartz;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.quartz.impl.jdbcjobstore.LockException;
import org.quartz.impl.jdbcjobstore.Semaphore;
import org.quartz.impl.jdbcjobstore.TablePrefixAware;

/**
 * A Quartz JDBC job store lock handler ({@code org.quartz.jobStore.lockHandler.class}) whose locks
 * — {@code TRIGGER_ACCESS} and {@code STATE_ACCESS} — are named futex-ra locks, not rows of
 * {@code QRTZ_LOCKS} taken with {@code SELECT … FOR UPDATE}.
 *
 * <p><b>Names.</b> The lock Quartz calls {@code L} is the lock {@code quartz/SCHED/PREFIX L} of the
 * space {@link #setSpaceName spaceName} (default {@code quartz}), where {@code SCHED} and
 * {@code PREFIX} are the scheduler name and table prefix the job store passes through
 * {@link TablePrefixAware}: the schedulers of one cluster (same name, same tables) share the lock,
 * other schedulers on the host do not. The lock is created with default options on first use.
 *
 * <p><b>Scope.</b> A futex lock covers the processes of one host. Every scheduler of a Quartz cluster
 * that uses this handler must run on the same host; a cluster spread over several hosts needs a
 * lock that spans them (futex-ra's ZooKeeper backend, not built yet) or Quartz's own
 * {@code StdRowLockSemaphore}. Mixing this handler and row locks in one cluster gives no mutual
 * exclusion between the two kinds of node.
 *
 * <p><b>Ownership.</b> Like Quartz's own semaphores, a lock belongs to the thread that obtained it,
 * and obtaining it again on that thread succeeds at once without counting: one
 * {@link #releaseLock} frees it. A release by a thread that does not own the lock does nothing.
 *
 * <p><b>Transactions (JobStoreCMT).</b> Under {@code JobStoreCMT} Quartz releases its lock before the
 * container's JTA transaction commits, so another node could read the rows before they are
 * committed. With {@link #setTransactionManagerJNDIName transactionManagerJNDIName} set, a lock
 * obtained while a transaction is active is held for the process until that transaction completes
 * (a {@link Synchronization} releases it in {@code afterCompletion}, on whatever thread the
 * transaction manager completes it), as Quartz's {@code JTANonClusteredSemaphore} does; obtaining it
 * again in the same transaction succeeds at once, and {@code releaseLock} inside the transaction
 * does nothing. Without the property no transaction manager is looked up (JobStoreTX).
 *
 * <p><b>Timeout and death.</b> An obtain waits at most {@link #setLockTimeoutMillis lockTimeoutMillis}
 * (default 60 000) and then fails with a {@link LockException}, which Quartz reports and retries. If
 * the holder's process dies (kill -9, crash) the kernel frees the lock at once and the next holder
 * goes on: Quartz's own cluster recovery repairs what the dead node left in the tables.
 *
 * <p><b>A lost lock.</b> On a backend where a hold can be lost while its holder lives (ZooKeeper:
 * the lock node deleted by another client, the session expired, the connection cut off past the
 * point where another client may hold the lock; shared memory: the space removed or damaged),
 * another scheduler may obtain the lock while this one still works under it. Quartz's
 * {@link Semaphore} has no way to be told mid-hold, and under {@code JobStoreTX} Quartz commits its
 * database transaction <i>before</i> it calls {@link #releaseLock}: the rows are written by then.
 * So a loss is reported where Quartz can still act on it:
 * <ul>
 * <li>{@link #releaseLock} of a lock that was lost (or is in doubt: not known held at that moment)
 *     releases what is left — nothing of the next holder's — and throws a {@link LockException}
 *     naming the lock, its fencing token and what may have happened; Quartz logs it as an error
 *     ("Error returning lock: ...") and goes on. Its next obtain takes the lock anew.</li>
 * <li>{@link #obtainLock} of a lock this thread (or transaction) already holds, when that hold was
 *     lost, throws a {@link LockException}, so that Quartz rolls back the work it is about to do;
 *     outside a transaction the lost hold is released first.</li>
 * <li>Under {@code JobStoreCMT} with a transaction manager, the lock is held to the end of the
 *     transaction, and a lock lost (or in doubt) when the transaction is about to commit marks it
 *     rollback-only ({@link Synchronization#beforeCompletion()}): the scheduler's rows are not
 *     committed without the lock.</li>
 * </ul>
 *
 * <p>{@link #requiresConnection()} is false: Quartz opens no database connection for a lock.
 */
public final class FutexLockHandler implements Semaphore, TablePrefixAware {

    private String spaceName = "quartz";
    /** Null: {@link LockSpace#defaultDirectory()}. */
    private Path spaceDirectory;
    /** Null: the shared-memory space {@code spaceDirectory/spaceName}. */
    private URI spaceUri;
    private Duration lockTimeout = Duration.ofMinutes(1);
    private String transactionManagerJndiName;
    private String tablePrefix = "";
    private String schedulerName = "";

    private LockSpace space;
    private TransactionManager transactionManager;

    /** Locks this thread obtained outside any transaction, by Quartz lock name. */
    private final ThreadLocal<Map<String, Held>> threadHolds = ThreadLocal.withInitial(HashMap::new);
    /** Locks held until a transaction completes, by transaction, then by Quartz lock name. */
    private final Map<Transaction, Map<String, Held>> transactionHolds = new ConcurrentHashMap<>();

    /** The futex-ra space of the locks ({@code org.quartz.jobStore.lockHandler.spaceName}). */
    public void setSpaceName(String spaceName) {
        this.spaceName = spaceName;
    }

    /**
     * The space as a URI, on any backend ({@code ….spaceUri}; e.g.
     * {@code zookeeper://zk1:2181,zk2:2181,zk3:2181/futex-ra/quartz} for a cluster spread over hosts);
     * when set, {@code spaceName} and {@code spaceDirectory} are not used.
     */
    public void setSpaceUri(String spaceUri) {
        this.spaceUri = URI.create(spaceUri);
    }

    /** The directory of that space, {@link LockSpace#defaultDirectory()} unless set ({@code ….spaceDirectory}). */
    public void setSpaceDirectory(String spaceDirectory) {
        this.spaceDirectory = Path.of(spaceDirectory);
    }

    /** How long an obtain waits before failing ({@code ….lockTimeoutMillis}). */
    public void setLockTimeoutMillis(long lockTimeoutMillis) {
        if (lockTimeoutMillis <= 0) {
            throw new IllegalArgumentException("lockTimeoutMillis must be positive, was " + lockTimeoutMillis
                    + ": give the longest time a scheduler thread may wait for another node's lock");
        }
        this.lockTimeout = Duration.ofMillis(lockTimeoutMillis);
    }

    /**
     * Where JNDI has the JTA transaction manager ({@code ….transactionManagerJNDIName}; WildFly:
     * {@code java:jboss/TransactionManager}): set it under JobStoreCMT, so that a lock obtained in a
     * transaction is held until the transaction ends.
     */
    public void setTransactionManagerJNDIName(String jndiName) {
        this.transactionManagerJndiName = jndiName;
    }

    @Override
    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix == null ? "" : tablePrefix;
    }

    @Override
    public void setSchedName(String schedulerName) {
        this.schedulerName = schedulerName == null ? "" : schedulerName;
    }

    /** The futex-ra lock name of the Quartz lock {@code lockName}. */
    String futexLockName(String lockName) {
        return "quartz/" + schedulerName + "/" + tablePrefix + lockName;
    }

    @Override
    public boolean obtainLock(Connection connection, String lockName) throws LockException {
        Transaction transaction = activeTransaction();
        Map<String, Held> holds = transaction == null ? threadHolds.get()
                : transactionHolds.computeIfAbsent(transaction, t -> new ConcurrentHashMap<>());
        Held owned = holds.get(lockName);
        if (owned != null) {
            if (owned.isHeld()) {
                return true; // this thread (or transaction) owns it already: Quartz's semaphores do not count
            }
            if (transaction == null) {
                releaseQuietly(holds.remove(lockName)); // a transaction's hold stays, to roll it back at its end
            }
            throw new LockException(lost(lockName, owned) + "; it is not obtained again inside the same work, so that"
                    + " Quartz rolls that work back");
        }
        NamedLock lock = space().lock(futexLockName(lockName));
        try {
            if (transaction == null) {
                holds.put(lockName, lock.acquire(lockTimeout));
            } else {
                holds.put(lockName, lock.acquireForProcess(lockTimeout));
                transaction.registerSynchronization(new ReleaseAtCompletion(transaction, lockName));
            }
        } catch (LockTimeoutException e) {
            forgetIfEmpty(transaction, holds);
            throw new LockException("futex-ra lock '" + lock.name() + "' of space '" + spaceName + "' not obtained in "
                    + lockTimeout.toMillis() + " ms: another scheduler of this host holds it; see who with"
                    + " 'futex-ra --dir " + spaceDirectory + " --space " + spaceName + " ls'", e);
        } catch (Exception e) {
            releaseQuietly(holds.remove(lockName));
            forgetIfEmpty(transaction, holds);
            throw new LockException("cannot obtain futex-ra lock '" + lock.name() + "': " + e, e);
        }
        return true;
    }

    /** Drops a transaction's entry once it holds nothing (no-op outside a transaction). */
    private void forgetIfEmpty(Transaction transaction, Map<String, Held> holds) {
        if (transaction != null && holds.isEmpty()) {
            transactionHolds.remove(transaction, holds);
        }
    }

    @Override
    public void releaseLock(String lockName) throws LockException {
        if (activeTransaction() != null) {
            return; // held to the transaction's end: ReleaseAtCompletion frees it
        }
        Held held = threadHolds.get().remove(lockName);
        if (held == null) {
            return;
        }
        boolean lost = !held.isHeld();
        held.close();
        if (lost) {
            throw new LockException(lost(lockName, held) + "; Quartz had already committed the work done under it:"
                    + " another scheduler may have acquired, fired or recovered the same triggers meanwhile (a trigger may"
                    + " have fired twice). Its release freed nothing of the next holder's; the next obtain takes the lock"
                    + " anew. Use a space that only the schedulers can change, and pass the fencing token to what jobs"
                    + " write if they must refuse a stale holder");
        }
    }

    /** What a lost hold of the Quartz lock {@code lockName} says. */
    private String lost(String lockName, Held held) {
        return "futex-ra lock '" + futexLockName(lockName) + "' (Quartz lock " + lockName + ", fencing token "
                + held.fencingToken() + ") was lost while this scheduler held it (ZooKeeper: its node was deleted, its"
                + " session expired, or the connection was cut off past the point where another client may hold it;"
                + " shared memory: its space was removed or damaged)";
    }

    @Override
    public boolean requiresConnection() {
        return false;
    }

    private static void releaseQuietly(Held held) {
        if (held != null) {
            held.close();
        }
    }

    private synchronized LockSpace space() {
        if (space == null) {
            space = spaceUri != null ? LockSpace.open(spaceUri)
                    : LockSpace.open(spaceDirectory != null ? spaceDirectory : LockSpace.defaultDirectory(), spaceName);
        }
        return space;
    }

    /** The JTA transaction active on this thread, or null (always null without a JNDI name). */
    private Transaction activeTransaction() throws LockException {
        if (transactionManagerJndiName == null) {
            return null;
        }
        try {
            Transaction transaction = transactionManager().getTransaction();
            return transaction != null && transaction.getStatus() == Status.STATUS_ACTIVE ? transaction : null;
        } catch (SystemException e) {
            throw new LockException("cannot read the JTA transaction of this thread: " + e, e);
        }
    }

    private synchronized TransactionManager transactionManager() throws LockException {
        if (transactionManager == null) {
            try {
                transactionManager = (TransactionManager) new InitialContext().lookup(transactionManagerJndiName);
            } catch (NamingException | ClassCastException e) {
                throw new LockException("no JTA TransactionManager at '" + transactionManagerJndiName + "' ("
                        + e + "): set org.quartz.jobStore.lockHandler.transactionManagerJNDIName to where your server"
                        + " binds it (WildFly: java:jboss/TransactionManager), or remove it under JobStoreTX", e);
            }
        }
        return transactionManager;
    }

    /** Frees a lock obtained in a transaction once the transaction has committed or rolled back. */
    private final class ReleaseAtCompletion implements Synchronization {
        private final Transaction transaction;
        private final String lockName;

        ReleaseAtCompletion(Transaction transaction, String lockName) {
            this.transaction = transaction;
            this.lockName = lockName;
        }

        /** The rows are not committed yet: keep the lock; if it was lost, the transaction must not commit. */
        @Override
        public void beforeCompletion() {
            Map<String, Held> holds = transactionHolds.get(transaction);
            Held held = holds == null ? null : holds.get(lockName);
            if (held != null && !held.isHeld()) {
                try {
                    transaction.setRollbackOnly();
                } catch (SystemException | IllegalStateException e) {
                    throw new IllegalStateException(lost(lockName, held) + ", and the transaction cannot be marked"
                            + " rollback-only: " + e, e);
                }
            }
        }

        @Override
        public void afterCompletion(int status) {
            Map<String, Held> holds = transactionHolds.get(transaction);
            if (holds != null) {
                releaseQuietly(holds.remove(lockName));
                forgetIfEmpty(transaction, holds);
            }
        }
    }
}
