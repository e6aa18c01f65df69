package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.EventNotice;
import io.futexra.NamedEvent;
import io.futexra.testing.AwaitState;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ZooKeeper dispatcher on a real server: two dispatchers on two sessions (as on two hosts),
 * promoted on threads of the test's own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkDispatcherTest extends ZkTwoClients {

    private static final Dispatcher.Promoter OWN_THREADS = ZkTwoClients::start;

    @Test
    void shouldDeliverEachAutoResetSignalOnceAcrossDispatchersAndWaiters() throws Exception {
        int signals = 30;
        NamedEvent event = one.event("jobs", EventMode.AUTO_RESET);
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger awaited = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (Dispatcher mine = one.dispatcher(OWN_THREADS); Dispatcher theirs = other.dispatcher(OWN_THREADS);
             AutoCloseable a = mine.subscribe(event, n -> delivered.incrementAndGet());
             AutoCloseable b = theirs.subscribe(other.event("jobs", EventMode.AUTO_RESET), n -> delivered.incrementAndGet())) {
            Thread waiter = start(() -> {
                while (!stop.get()) {
                    if (event.await(Duration.ofMillis(200))) {
                        awaited.incrementAndGet();
                    }
                }
            });
            for (int i = 0; i < signals; i++) {
                event.signal();
            }
            AwaitState.until("every signal taken", () -> delivered.get() + awaited.get() >= signals);
            stop.set(true);
            joinAll(List.of(waiter));
        }
        assertEquals(signals, delivered.get() + awaited.get(), "each signal delivered or awaited once, none twice");
        assertFalse(event.isSignaled(), "nothing left pending");
    }

    @Test
    void shouldDeliverAManualResetEventOncePerEdge() throws Exception {
        NamedEvent gate = one.event("gate", EventMode.MANUAL_RESET);
        NamedEvent barrier = one.event("barrier", EventMode.AUTO_RESET);
        List<EventNotice> gates = new CopyOnWriteArrayList<>();
        AtomicInteger barriers = new AtomicInteger();
        try (Dispatcher d = other.dispatcher(OWN_THREADS);
             AutoCloseable g = d.subscribe(other.event("gate", EventMode.MANUAL_RESET), gates::add);
             AutoCloseable b = d.subscribe(other.event("barrier", EventMode.AUTO_RESET), n -> barriers.incrementAndGet())) {
            gate.signal();
            AwaitState.until("the first edge delivered", () -> gates.size() == 1);
            // the leader looks at the gate before the barrier: had it delivered the gate again merely
            // because it stays signaled, that would come before the barrier's delivery
            barrier.signal();
            AwaitState.until("the barrier delivered", () -> barriers.get() == 1);
            assertEquals(1, gates.size(), "still signaled, but no new edge: not delivered again");
            gate.reset();
            gate.signal();
            AwaitState.until("the second edge delivered", () -> gates.size() == 2);
        }
        assertEquals(List.of(1L, 2L), gates.stream().map(EventNotice::delivery).toList());
        assertEquals("gate", gates.get(0).event());
        assertEquals(EventMode.MANUAL_RESET, gates.get(0).mode());
    }

    @Test
    void shouldStopConsumingOnShutdownAndRefuseNewSubscriptions() throws Exception {
        NamedEvent event = one.event("late", EventMode.AUTO_RESET);
        AtomicInteger delivered = new AtomicInteger();
        Dispatcher d = other.dispatcher(OWN_THREADS);
        d.subscribe(other.event("late", EventMode.AUTO_RESET), n -> delivered.incrementAndGet());
        event.signal();
        AwaitState.until("the first signal delivered", () -> delivered.get() == 1);
        assertTrue(d.shutdown(30, TimeUnit.SECONDS), "leader and deliveries ended");
        assertThrows(IllegalStateException.class, () -> d.subscribe(event, n -> { }));
        event.signal();
        assertTrue(event.await(Duration.ofSeconds(30)), "the signal after shutdown was left for others");
        assertEquals(1, delivered.get());
    }
}
