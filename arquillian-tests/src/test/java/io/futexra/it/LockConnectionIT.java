package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.ObjectInfo;
import io.futexra.EventMode;
import io.futexra.it.app.TxBean;
import io.futexra.jca.ConnectionEvent;
import io.futexra.jca.ConnectionLock;
import io.futexra.jca.ConnectionReadWriteLock;
import io.futexra.jca.ConnectionSemaphore;
import io.futexra.samples.AccountService;
import io.futexra.samples.LegacyGateway;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside WildFly: the factory the RAR binds by itself, every primitive through a connection,
 * release by connection close, and transaction-scoped locks released by commit, rollback and the
 * transaction reaper.
 */
@ExtendWith(ArquillianExtension.class)
class LockConnectionIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2)
    static WebArchive app() {
        return Deployments.war("lock-connection-it.war").addClasses(TxBean.class, ServerLog.class)
                .addAsLibrary(Deployments.samples("futex-ra-ejb-samples.jar"));
    }

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    @EJB
    private TxBean tx;

    @EJB
    private LegacyGateway gateway;

    @EJB
    private AccountService accounts;

    @Resource(lookup = "java:comp/UserTransaction")
    private UserTransaction userTransaction;

    private static String unique(String what) {
        return "it-" + what + "-" + UUID.randomUUID();
    }

    @Test
    @OperateOnDeployment("app")
    void shouldInjectTheFactoryTheRarBindsOnTheDefaultSpace() {
        assertNotNull(locks, "java:/futex-ra/LockFactory is bound by the RAR alone");
        assertEquals("default", locks.spaceName());
        try (LockConnection c = locks.getConnection()) {
            assertEquals("default", c.spaceName());
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldExcludeOtherOwnersAndLetAnyThreadRelease() {
        String name = unique("lock");
        try (LockConnection c = locks.getConnection()) {
            ConnectionLock lock = c.lock(name);
            Held first = lock.acquire(Duration.ofSeconds(5));
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(Optional.empty(), otherThreadTryAcquire(name), "held: another owner must not get it");
            ObjectInfo info = find(c.objects(), name);
            assertEquals(ProcessHandle.current().pid(), info.holderPid(), "the server process holds it: " + info);
            // process-owned: another thread may release it
            CompletableFuture.runAsync(first::close).join();
            assertFalse(lock.isHeldByCurrentThread());
            try (Held second = lock.tryAcquire().orElseThrow()) {
                assertTrue(second.fencingToken() > first.fencingToken(), "fencing tokens grow");
            }
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldOfferReadWriteLocksSemaphoresAndEventsThroughAConnection() throws Exception {
        String name = unique("primitives");
        try (LockConnection c = locks.getConnection()) {
            ConnectionReadWriteLock rw = c.readWriteLock(name + "-rw");
            Held read1 = rw.readLock().acquire(Duration.ofSeconds(5));
            Held read2 = CompletableFuture.supplyAsync(() -> rw.readLock().acquire(Duration.ofSeconds(5))).join();
            assertEquals(Optional.empty(), rw.writeLock().tryAcquire(), "readers keep the writer out");
            CompletableFuture.runAsync(read1::close).join(); // any thread may release a connection's read hold
            read2.close();
            try (Held write = rw.writeLock().acquire(Duration.ofSeconds(5))) {
                assertEquals(Optional.empty(), CompletableFuture.supplyAsync(() -> rw.readLock().tryAcquire()).join());
            }

            ConnectionSemaphore legacy = c.semaphore(name + "-sem", 2);
            Held p1 = legacy.acquire(Duration.ofSeconds(5));
            Held p2 = legacy.tryAcquire().orElseThrow();
            assertEquals(0, legacy.availablePermits());
            assertEquals(Optional.empty(), legacy.tryAcquire());
            CompletableFuture.runAsync(p1::close).join();
            assertEquals(1, legacy.availablePermits());
            p2.close();

            ConnectionEvent done = c.event(name + "-event", EventMode.MANUAL_RESET);
            CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> done.await(Duration.ofSeconds(10)));
            done.signal();
            assertTrue(awaited.join());
            assertTrue(done.isSignaled());
            done.reset();
            assertFalse(done.await(Duration.ofMillis(10)));
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldBoundTheLegacyGatewaysConcurrentCalls() {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 12; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> gateway.call(() -> {
                    int now = inside.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    return now;
                }, Duration.ofSeconds(30)), pool));
            }
            calls.forEach(CompletableFuture::join);
        } finally {
            pool.shutdown();
        }
        assertTrue(most.get() <= LegacyGateway.PERMITS, "at most the permits at once, saw " + most.get());
    }

    @Test
    @OperateOnDeployment("app")
    void shouldSerializeReadModifyWriteUpdatesWithTransactionScopedLocks() {
        String account = unique("account");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Long>> deposits = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                deposits.add(CompletableFuture.supplyAsync(() -> accounts.deposit(account, 5), pool));
            }
            deposits.forEach(CompletableFuture::join);
        } finally {
            pool.shutdown();
        }
        assertEquals(200, accounts.balance(account), "no update lost: each read-modify-write held the account's lock");
        assertTrue(otherThreadTryAcquire("account-" + account).isPresent(), "every commit released the lock");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldRefuseToAcquireALockTheSameThreadHoldsThroughAConnection() {
        String name = unique("reentry");
        try (LockConnection c = locks.getConnection(); Held held = c.lock(name).acquire(Duration.ofSeconds(5))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.lock(name).acquire(Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("FUTEXRA032") && e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldTimeOutWhileAnotherOwnerHoldsIt() {
        String name = unique("timeout");
        try (LockConnection c = locks.getConnection(); Held held = c.lock(name).acquire(Duration.ofSeconds(5))) {
            Throwable t = assertThrows(Throwable.class, () -> CompletableFuture.runAsync(() -> {
                try (LockConnection other = locks.getConnection()) {
                    other.lock(name).acquire(Duration.ofMillis(200));
                }
            }).join());
            assertTrue(t.getCause() instanceof LockTimeoutException, String.valueOf(t));
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldReleaseWhatAConnectionStillHoldsWhenItIsClosedAndSayWhich() throws Exception {
        String name = unique("leaked-by-close");
        LockConnection c = locks.getConnection();
        c.lock(name).acquire(Duration.ofSeconds(5)); // never closed: the connection's close must release it
        assertEquals(Optional.empty(), otherThreadTryAcquire(name));
        c.close();
        assertTrue(otherThreadTryAcquire(name).isPresent(), "closing the connection released the lock");
        assertThrows(IllegalStateException.class, () -> c.lock(name));
        assertFalse(ServerLog.linesWith(ServerLog.inServer(), "FUTEXRA010", name).isEmpty(),
                "a warning names the released lock");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldRefuseTransactionScopeOutsideATransaction() {
        try (LockConnection c = locks.getConnection()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> c.lock(unique("no-tx")).acquireForTransaction(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("FUTEXRA030") && e.getMessage().contains("active JTA transaction"),
                    e.getMessage());
        }
    }

    @Test
    @OperateOnDeployment("app")
    void shouldHoldATransactionScopedLockUntilCommitThenRelease() {
        String name = unique("tx-commit");
        long[] r = tx.acquireTwiceAndProbe(name);
        assertEquals(r[0], r[1], "acquiring again in the same transaction is the same acquisition");
        assertEquals(0, r[2], "inside the transaction, after the connection closed, another owner must not get it");
        assertTrue(otherThreadTryAcquire(name).isPresent(), "commit released it");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldReleaseATransactionScopedLockOnRollback() {
        String name = unique("tx-rollback");
        assertThrows(EJBException.class, () -> tx.acquireThenFail(name));
        assertTrue(otherThreadTryAcquire(name).isPresent(), "rollback released it");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldReleaseWhenTheTransactionReaperRollsBackOnItsOwnThread() throws Exception {
        String name = unique("tx-reaper");
        userTransaction.setTransactionTimeout(1);
        userTransaction.begin();
        try {
            try (LockConnection c = locks.getConnection()) {
                c.lock(name).acquireForTransaction(Duration.ofSeconds(5));
            }
            assertEquals(Optional.empty(), otherThreadTryAcquire(name));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean released = false;
            while (!released && System.nanoTime() < deadline) {
                Thread.sleep(100);
                released = otherThreadTryAcquire(name).isPresent();
            }
            assertTrue(released, "the reaper's rollback (on its own thread) released the lock");
        } finally {
            try {
                userTransaction.rollback();
            } catch (RuntimeException | jakarta.transaction.SystemException alreadyEnded) {
                // the reaper ended it
            }
            userTransaction.setTransactionTimeout(0);
        }
    }

    /** tryAcquire through another connection on another thread; releases at once what it got. */
    private Optional<Long> otherThreadTryAcquire(String name) {
        return CompletableFuture.supplyAsync(() -> {
            try (LockConnection c = locks.getConnection()) {
                return c.lock(name).tryAcquire().map(h -> {
                    long token = h.fencingToken();
                    h.close();
                    return token;
                });
            }
        }).join();
    }

    private static ObjectInfo find(List<ObjectInfo> objects, String name) {
        return objects.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in objects()"));
    }
}
