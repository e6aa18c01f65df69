package io.futexra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.linux.LinuxKernel;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leader/followers delivery of named events: exactly once per auto-reset signal, nothing consumed is lost. */
@Timeout(120)
class EventDispatcherTest {

    private final TestSpaces dirs = new TestSpaces();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ExecutorService pool : pools) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        dirs.close();
    }

    private EventDispatcher dispatcher() {
        ExecutorService pool = Executors.newCachedThreadPool();
        pools.add(pool);
        return new EventDispatcher(pool::execute, LinuxKernel.load());
    }

    @Test
    void shouldDeliverEachAutoResetSignalFromAnotherProcessExactlyOnceAcrossDispatchers() throws Exception {
        int signals = 2_000;
        try (LockSpace space = LockSpace.open(dirs.directory(), "dispatch")) {
            NamedEvent work = space.event("work", EventMode.AUTO_RESET);
            AtomicInteger first = new AtomicInteger();
            AtomicInteger second = new AtomicInteger();
            try (EventDispatcher a = dispatcher(); EventDispatcher b = dispatcher()) {
                a.subscribe(work, n -> first.incrementAndGet());
                b.subscribe(work, n -> second.incrementAndGet());
                try (ChildJvm signaller = ChildJvm.start("signaln", dirs.directory().toString(), "dispatch", "work",
                        "AUTO_RESET", Integer.toString(signals))) {
                    signaller.awaitLine("SIGNALED", Duration.ofSeconds(60));
                }
                AwaitState.until(signals + " deliveries", () -> first.get() + second.get() >= signals);
                // a quiet period, not a state: a duplicate delivery would show up now, and nothing in the
                // space says that none is still on its way to a dispatcher's handler
                Thread.sleep(200);
            }
            assertEquals(signals, first.get() + second.get(), "each signal delivered exactly once host-wide");
            assertTrue(!work.isSignaled(), "nothing left over");
        }
    }

    @Test
    void shouldDeliverAManualResetSignalOncePerDispatcherPerEdge() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "manual")) {
            NamedEvent done = space.event("import-done", EventMode.MANUAL_RESET);
            ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            try (EventDispatcher a = dispatcher(); EventDispatcher b = dispatcher()) {
                a.subscribe(done, n -> counts.computeIfAbsent("a", k -> new AtomicInteger()).incrementAndGet());
                b.subscribe(done, n -> counts.computeIfAbsent("b", k -> new AtomicInteger()).incrementAndGet());
                done.signal();
                awaitCount(counts, "a", 1);
                awaitCount(counts, "b", 1);
                Thread.sleep(200);
                assertEquals(1, counts.get("a").get(), "staying signaled is not a new signal");
                assertEquals(1, counts.get("b").get());
                done.reset();
                done.signal();
                awaitCount(counts, "a", 2);
                awaitCount(counts, "b", 2);
            }
        }
    }

    @Test
    void shouldDeliverEverySignalItConsumedWhenShutDownMidStream() throws Exception {
        int signals = 5_000;
        try (LockSpace space = LockSpace.open(dirs.directory(), "stop")) {
            NamedEvent work = space.event("work", EventMode.AUTO_RESET);
            AtomicLong delivered = new AtomicLong();
            EventDispatcher d = dispatcher();
            d.subscribe(work, n -> delivered.incrementAndGet());
            Thread signaller = new Thread(() -> {
                for (int i = 0; i < signals; i++) {
                    work.signal();
                }
            });
            signaller.start();
            Thread.sleep(2);
            assertTrue(d.shutdown(5, TimeUnit.SECONDS), "shut down promptly");
            signaller.join();
            long left = 0;
            while (work.await(Duration.ZERO)) {
                left++;
            }
            assertEquals(signals, delivered.get() + left, "a consumed signal was lost: delivered " + delivered.get()
                    + ", left " + left);
        }
    }

    @Test
    void shouldHandTheLeaderRoleOnSoASlowListenerDoesNotHoldUpTheNextSignal() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "lf");
             EventDispatcher d = dispatcher()) {
            NamedEvent work = space.event("work", EventMode.AUTO_RESET);
            CountDownLatch secondDelivered = new CountDownLatch(1);
            AtomicInteger n = new AtomicInteger();
            List<String> threads = new ArrayList<>();
            d.subscribe(work, notice -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread().getName());
                }
                if (n.incrementAndGet() == 1) {
                    try {
                        assertTrue(secondDelivered.await(10, TimeUnit.SECONDS), "the next signal waited for us");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    secondDelivered.countDown();
                }
            });
            work.signal();
            while (n.get() < 1) {
                Thread.sleep(1);
            }
            work.signal(); // delivered while the first listener call is still running
            assertTrue(secondDelivered.await(10, TimeUnit.SECONDS));
            assertEquals(2, threads.stream().distinct().count(), "two deliveries, two threads: " + threads);
        }
    }

    @Test
    void shouldShutDownPromptlyWhenIdle() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "idle")) {
            EventDispatcher d = dispatcher();
            d.subscribe(space.event("never", EventMode.AUTO_RESET), n -> { });
            d.subscribe(space.event("nor-this", EventMode.MANUAL_RESET), n -> { });
            Thread.sleep(50);
            long start = System.nanoTime();
            assertTrue(d.shutdown(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "the leader left at once");
        }
    }

    private static void awaitCount(ConcurrentHashMap<String, AtomicInteger> counts, String key, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((counts.get(key) == null || counts.get(key).get() < n) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(counts.get(key) != null && counts.get(key).get() >= n, key + " got " + counts.get(key));
    }

}
