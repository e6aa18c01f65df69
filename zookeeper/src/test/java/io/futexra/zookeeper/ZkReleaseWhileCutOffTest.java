package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedReadWriteLock;
import io.futexra.testing.AwaitState;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A read/write lock's release while the client is cut off from the ensemble (its one server
 * stopped, the client {@code SUSPENDED}) returns without waiting for the ensemble — with a
 * 30-second connection timeout Curator's foreground retries would take minutes — and leaves the
 * thread's interrupt flag as it was; once the server is back, another client gets both locks (the
 * nodes went, by Curator's background delete or with the expired session).
 */
@Timeout(300)
class ZkReleaseWhileCutOffTest {

    @Test
    void shouldReleaseBothSidesAtOnceWhileCutOffAndLetOthersInOnceTheServerIsBack() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = ZkServers.freshSpace(server.getConnectString(), "4s&connectionTimeout=30s");
            try (LockSpace space = LockSpace.open(uri)) {
                NamedReadWriteLock reads = space.readWriteLock("reads");
                NamedReadWriteLock writes = space.readWriteLock("writes");
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
                Thread holder = new Thread(() -> {
                    try {
                        Held read = reads.readLock().acquire(Duration.ofSeconds(30));
                        Held write = writes.writeLock().acquire(Duration.ofSeconds(30));
                        holding.countDown();
                        release.await();
                        read.close();
                        write.close();
                        interruptedAfter.set(Thread.currentThread().isInterrupted());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "rw-holder");
                holder.start();
                assertTrue(holding.await(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the holder got both locks");

                server.stop();
                ZkClient client = ZkServers.handle(space).shared();
                AwaitState.until("the client cut off (SUSPENDED)", () -> !client.connected());
                release.countDown();
                holder.join(AwaitState.HANG_GUARD.toMillis());
                assertFalse(holder.isAlive(), "the releases must return while the server is still down");
                assertNull(failure.get(), () -> "the holder failed: " + failure.get());
                assertEquals(Boolean.FALSE, interruptedAfter.get(), "the interrupt flag is left as it was (clear)");

                server.restart();
                try (LockSpace other = LockSpace.open(ZkServers.otherClient(uri, 1))) {
                    try (Held r = other.readWriteLock("reads").writeLock().acquire(AwaitState.HANG_GUARD);
                         Held w = other.readWriteLock("writes").writeLock().acquire(AwaitState.HANG_GUARD)) {
                        assertTrue(r.isHeld() && w.isHeld(), "another client holds both write locks");
                    }
                }
            }
        }
    }
}
