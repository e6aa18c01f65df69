package io.futexra.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.testing.TestNaming;
import io.futexra.zookeeper.ZkRogue;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quartz.impl.jdbcjobstore.LockException;

/**
 * {@link FutexLockHandler} on a real ZooKeeper server when another client deletes the node of a
 * lock a scheduler holds: another scheduler (another session) obtains it; the first one's
 * {@code releaseLock} frees nothing of the other's and throws a {@link LockException} (which Quartz
 * logs) naming the lock and its fencing token; a re-obtain of the lost lock inside the same work
 * throws, so that Quartz rolls the work back. Under {@code JobStoreCMT} (a transaction manager found
 * by JNDI: {@link TestTransactions}, the least of one) a lock lost before the commit rolls the
 * transaction back.
 */
@Timeout(120)
class FutexLockHandlerLossTest {

    private static final AtomicInteger SPACES = new AtomicInteger();
    private static TestingServer server;

    private String spacePath;
    private String base;
    private ZkRogue rogue;
    private LockSpace probe;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNaming.class.getName());
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        server.close();
    }

    @BeforeEach
    void open() throws InterruptedException {
        spacePath = "/futex-ra-test/quartz" + SPACES.incrementAndGet();
        base = "zookeeper://" + server.getConnectString() + spacePath;
        rogue = new ZkRogue(server.getConnectString());
        probe = LockSpace.open(URI.create(base + "?sessionTimeout=10s")); // the same client as the holder's
    }

    @AfterEach
    void close() {
        probe.close();
        rogue.close();
    }

    private FutexLockHandler handler(String sessionTimeout, long lockTimeoutMillis) {
        FutexLockHandler handler = new FutexLockHandler();
        handler.setSpaceUri(base + "?sessionTimeout=" + sessionTimeout); // another session timeout: another client
        handler.setSchedName("cluster");
        handler.setTablePrefix("QRTZ_");
        handler.setLockTimeoutMillis(lockTimeoutMillis);
        return handler;
    }

    /**
     * Deletes the holder's node and waits until {@code other} has obtained the lock; then makes a
     * round trip on the holder's own session (ZooKeeper delivers the deletion's watch event to a
     * client before the replies that follow it), so the holder has been told by then.
     */
    private void loseTo(FutexLockHandler other) throws Exception {
        assertTrue(rogue.deleteEphemeralsUnder(spacePath) >= 1, "the holder's node was found and deleted");
        assertTrue(other.obtainLock(null, "TRIGGER_ACCESS"), "the other scheduler obtained the lock");
        probe.lock("round-trip").tryAcquire().ifPresent(Held::close);
    }

    @Test
    void shouldThrowALockExceptionNamingTheLockAndTokenWhenALostLockIsReleased() throws Exception {
        FutexLockHandler holder = handler("10s", 200);
        FutexLockHandler other = handler("10001ms", AwaitState.HANG_GUARD.toMillis());
        assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"));
        loseTo(other);

        LockException e = assertThrows(LockException.class, () -> holder.releaseLock("TRIGGER_ACCESS"));
        assertTrue(e.getMessage().contains("'quartz/cluster/QRTZ_TRIGGER_ACCESS'") && e.getMessage().contains("fencing token")
                && e.getMessage().contains("was lost"), e.getMessage());
        holder.releaseLock("TRIGGER_ACCESS"); // nothing is left to release, nothing is said twice

        LockException busy = assertThrows(LockException.class, () -> holder.obtainLock(null, "TRIGGER_ACCESS"));
        assertTrue(busy.getMessage().contains("not obtained in 200 ms"),
                "the late release freed nothing of the other scheduler's: " + busy.getMessage());
        other.releaseLock("TRIGGER_ACCESS"); // not lost: quiet
        assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"), "the next obtain takes the lock anew");
        holder.releaseLock("TRIGGER_ACCESS");
    }

    @Test
    void shouldRefuseToObtainAgainALockLostInsideTheSameWork() throws Exception {
        FutexLockHandler holder = handler("10s", 200);
        FutexLockHandler other = handler("10001ms", AwaitState.HANG_GUARD.toMillis());
        assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"));
        assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"), "held: a second obtain on the thread succeeds at once");
        loseTo(other);

        LockException e = assertThrows(LockException.class, () -> holder.obtainLock(null, "TRIGGER_ACCESS"));
        assertTrue(e.getMessage().contains("was lost") && e.getMessage().contains("rolls that work back"), e.getMessage());
        holder.releaseLock("TRIGGER_ACCESS"); // the refused obtain released the lost hold: nothing left, quiet
        other.releaseLock("TRIGGER_ACCESS");
        assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"), "the next obtain takes the lock anew");
        holder.releaseLock("TRIGGER_ACCESS");
    }

    @Test
    void shouldRollBackTheSchedulersTransactionWhenItsLockIsLostBeforeTheCommit() throws Exception {
        TestTransactions transactions = new TestTransactions();
        TestNaming.BOUND.put("java:/TransactionManager", transactions);
        try {
            FutexLockHandler holder = handler("10s", 200);
            holder.setTransactionManagerJNDIName("java:/TransactionManager");
            FutexLockHandler other = handler("10001ms", AwaitState.HANG_GUARD.toMillis());

            transactions.begin();
            Transaction lost = transactions.getTransaction();
            assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"));
            holder.releaseLock("TRIGGER_ACCESS"); // held to the transaction's end
            loseTo(other);
            assertThrows(RollbackException.class, transactions::commit);
            assertEquals(Status.STATUS_ROLLEDBACK, lost.getStatus(), "the work done without the lock is not committed");
            other.releaseLock("TRIGGER_ACCESS");

            transactions.begin();
            Transaction kept = transactions.getTransaction();
            assertTrue(holder.obtainLock(null, "TRIGGER_ACCESS"), "the lost hold was released at the rollback");
            transactions.commit();
            assertEquals(Status.STATUS_COMMITTED, kept.getStatus(), "a lock held to the commit lets it commit");
            assertTrue(other.obtainLock(null, "TRIGGER_ACCESS"), "the commit released the lock");
            other.releaseLock("TRIGGER_ACCESS");
        } finally {
            TestNaming.BOUND.clear();
        }
    }
}
