package io.futexra.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.zookeeper.ZkRogue;
import java.net.URI;
import java.util.ConcurrentModificationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FutexLockRegistry} on a real ZooKeeper server when another client deletes the holder's
 * lock node: a second registry (another session) takes the lock, and the first holder's
 * {@code unlock()} releases nothing of the second's and throws {@link ConcurrentModificationException},
 * as Spring Integration's {@code JdbcLockRegistry} does for a lock that went from its store.
 */
@Timeout(120)
class FutexLockRegistryLossTest {

    private static final AtomicInteger SPACES = new AtomicInteger();
    private static TestingServer server;

    private String spacePath;
    private LockSpace holderSpace;
    private LockSpace otherSpace;
    private ZkRogue rogue;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void open() throws InterruptedException {
        spacePath = "/futex-ra-test/spring" + SPACES.incrementAndGet();
        String base = "zookeeper://" + server.getConnectString() + spacePath;
        holderSpace = LockSpace.open(URI.create(base + "?sessionTimeout=10s"));
        otherSpace = LockSpace.open(URI.create(base + "?sessionTimeout=10001ms")); // another client, another session
        rogue = new ZkRogue(server.getConnectString());
    }

    @AfterEach
    void close() {
        rogue.close();
        holderSpace.close();
        otherSpace.close();
    }

    /**
     * A round trip on the holder's own session: ZooKeeper delivers the deletion's watch event to a
     * client before the replies that follow it, so the holder has been told by then.
     */
    private void roundTripOnTheHoldersSession() {
        holderSpace.lock("round-trip").tryAcquire().ifPresent(Held::close);
    }

    @Test
    void shouldThrowFromTheUnlockOfALockWhoseNodeWasDeletedAndFreeNothingOfTheNextHolders() throws Exception {
        Lock holder = new FutexLockRegistry(holderSpace).obtain("orders");
        Lock other = new FutexLockRegistry(otherSpace).obtain("orders");
        holder.lock();
        assertFalse(other.tryLock(), "held by the first registry");
        assertTrue(rogue.deleteEphemeralsUnder(spacePath) >= 1, "the holder's node was found and deleted");
        assertTrue(other.tryLock(AwaitState.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "the next holder took it");
        roundTripOnTheHoldersSession();

        ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class, holder::unlock);
        assertTrue(e.getMessage().startsWith("Lock was released in the store due to expiration.")
                && e.getMessage().contains("'spring:orders'") && e.getMessage().contains("fencing token"), e.getMessage());
        assertThrows(IllegalMonitorStateException.class, holder::unlock, "the failed unlock ended the thread's hold");
        assertFalse(holder.tryLock(), "the late unlock freed nothing of the next holder's");

        other.unlock(); // a hold that was not lost unlocks quietly
        assertTrue(holder.tryLock(), "a new hold after the loss works");
        holder.unlock();
    }

    @Test
    void shouldThrowFromTheOutermostUnlockOnlyWhenAReenteredLockIsLost() throws Exception {
        Lock holder = new FutexLockRegistry(holderSpace).obtain("reentered");
        holder.lock();
        holder.lock();
        assertTrue(rogue.deleteEphemeralsUnder(spacePath) >= 1, "the holder's node was found and deleted");
        Lock other = new FutexLockRegistry(otherSpace).obtain("reentered");
        assertTrue(other.tryLock(AwaitState.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "the next holder took it");
        roundTripOnTheHoldersSession();
        holder.unlock(); // the inner level releases nothing, and says nothing, as JdbcLockRegistry's
        assertThrows(ConcurrentModificationException.class, holder::unlock);
        other.unlock();
    }

    @Test
    void shouldPassTheLossToTheCallerOfExecuteLockedAfterTheWorkRan() throws Exception {
        FutexLockRegistry registry = new FutexLockRegistry(holderSpace);
        Lock other = new FutexLockRegistry(otherSpace).obtain("job");
        AtomicInteger ran = new AtomicInteger();
        assertThrows(ConcurrentModificationException.class, () -> registry.executeLocked("job", () -> {
            assertTrue(rogue.deleteEphemeralsUnder(spacePath) >= 1, "the holder's node was found and deleted");
            assertTrue(other.tryLock(AwaitState.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "the next holder took it");
        roundTripOnTheHoldersSession();
            ran.incrementAndGet();
        }));
        assertEquals(1, ran.get(), "the work ran once, then its caller was told");
        other.unlock();
        registry.executeLocked("job", ran::incrementAndGet); // not lost: no exception
        assertEquals(2, ran.get());
    }
}
