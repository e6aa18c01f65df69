package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.FutexRaException;
import io.futexra.LockInterruptedException;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.testing.AwaitState;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events on a real ZooKeeper server (Curator's {@code TestingServer} on loopback). "Two clients"
 * are the same space opened through two clients of this process ({@link ZkServers#otherClient}):
 * two ZooKeeper sessions, as two hosts would have. The tests wait for states with hang guards; no timing is asserted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkNamedEventTest extends ZkTwoClients {

    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @Test
    void shouldWakeEveryWaiterOfBothClientsWhenAManualResetEventIsSignaled() throws Exception {
        NamedEvent mine = one.event("done", EventMode.MANUAL_RESET);
        NamedEvent theirs = other.event("done", EventMode.MANUAL_RESET);
        assertFalse(theirs.isSignaled());
        assertFalse(theirs.await(Duration.ofMillis(50)), "nobody signaled yet");
        AtomicInteger woken = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (NamedEvent e : List.of(mine, theirs, mine, theirs)) {
            waiters.add(start(() -> {
                if (e.await(HANG_GUARD)) {
                    woken.incrementAndGet();
                }
            }));
        }
        mine.signal();
        joinAll(waiters);
        assertEquals(4, woken.get(), "every waiter on both clients passed");
        assertTrue(theirs.isSignaled());
        assertTrue(theirs.await(Duration.ZERO), "stays signaled until reset");
        theirs.reset();
        assertFalse(mine.isSignaled());
        assertFalse(mine.await(Duration.ofMillis(50)));
    }

    @Test
    void shouldLetEachAutoResetSignalThroughExactlyOnceAcrossClients() throws Exception {
        int signals = 40;
        NamedEvent mine = one.event("work", EventMode.AUTO_RESET);
        NamedEvent theirs = other.event("work", EventMode.AUTO_RESET);
        AtomicInteger consumed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> waiters = new ArrayList<>();
        for (NamedEvent e : List.of(mine, theirs, mine, theirs)) {
            waiters.add(start(() -> {
                while (!stop.get()) {
                    if (e.await(Duration.ofMillis(200))) {
                        consumed.incrementAndGet();
                    }
                }
            }));
        }
        for (int i = 0; i < signals; i++) {
            (i % 2 == 0 ? mine : theirs).signal();
        }
        AwaitState.until("all " + signals + " signals consumed", () -> consumed.get() >= signals);
        stop.set(true);
        joinAll(waiters);
        assertEquals(signals, consumed.get(), "each signal consumed once, none twice");
        assertFalse(mine.isSignaled(), "nothing left pending");
    }

    @Test
    void shouldConsumeOnlyTheSignalOfTheEventAwaitAnyReturns() {
        try (LockSpace second = LockSpace.open(ZkServers.freshSpace(server.getConnectString(), "10s"))) {
            NamedEvent a = one.event("a", EventMode.AUTO_RESET);
            NamedEvent b = second.event("b", EventMode.AUTO_RESET);
            assertEquals(-1, NamedEvent.awaitAny(Duration.ofMillis(50), a, b));
            b.signal();
            b.signal();
            assertEquals(1, NamedEvent.awaitAny(HANG_GUARD, a, b));
            a.signal();
            int first = NamedEvent.awaitAny(HANG_GUARD, a, b);
            int next = NamedEvent.awaitAny(HANG_GUARD, a, b);
            assertEquals(List.of(0, 1), List.of(first, next).stream().sorted().toList(), "one signal each, once");
            assertEquals(-1, NamedEvent.awaitAny(Duration.ZERO, a, b), "all consumed");
        }
    }

    @Test
    void shouldWakeAnAwaitAnyWaiterOnASignalFromAnotherClient() throws Exception {
        NamedEvent a = one.event("a", EventMode.MANUAL_RESET);
        NamedEvent b = one.event("b", EventMode.AUTO_RESET);
        AtomicInteger which = new AtomicInteger(-2);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = start(() -> {
            waiting.countDown();
            which.set(NamedEvent.awaitAny(HANG_GUARD, a, b));
        });
        waiting.await();
        other.event("b", EventMode.AUTO_RESET).signal();
        joinAll(List.of(waiter));
        assertEquals(1, which.get());
        assertFalse(b.isSignaled(), "the waiter consumed it");
    }

    @Test
    void shouldThrowOnInterruptAndKeepTheFlag() throws Exception {
        NamedEvent e = one.event("never", EventMode.AUTO_RESET);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread waiter = start(() -> {
            try {
                e.await(HANG_GUARD);
            } catch (LockInterruptedException expected) {
                thrown.set(expected);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        AwaitState.until("the waiter asleep", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        joinAll(List.of(waiter));
        assertTrue(thrown.get() instanceof LockInterruptedException, "threw " + thrown.get());
        assertTrue(flagKept.get(), "interrupt flag kept");
    }

    @Test
    void shouldRefuseTheOtherModeAndDataNotWrittenByFutexRa() throws Exception {
        one.event("e", EventMode.MANUAL_RESET);
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> other.event("e", EventMode.AUTO_RESET));
        assertTrue(mode.getMessage().contains("exists as MANUAL_RESET"), mode.getMessage());
        try (CuratorFramework raw = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            raw.start();
            raw.setData().forPath(uri.getPath() + "/objects/e/state", "1 7".getBytes(StandardCharsets.US_ASCII));
        }
        NamedEvent e = one.event("e", EventMode.MANUAL_RESET);
        FutexRaException bad = assertThrows(FutexRaException.class, e::isSignaled);
        assertTrue(bad.getMessage().contains("not \"SEQUENCE STATE\""), bad.getMessage());
    }
}
