package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lock policies: FAIR serves in arrival order across processes, nobody barges; spin options. */
@Timeout(120)
class PolicyTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldServeFairWaitersInArrivalOrderWithNoBargingAcrossProcesses() throws Exception {
        Path counterFile = dirs.file("order");
        SharedCounter counter = SharedCounter.open(counterFile);
        int waiters = 6;
        try (LockSpace space = LockSpace.open(dirs.directory(), "fair")) {
            NamedLock lock = space.lock("queue", LockOptions.fair());
            List<ChildJvm> children = new ArrayList<>();
            Held held = lock.acquire();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong bargedAt = new AtomicLong(-1);
            AtomicLong attempts = new AtomicLong();
            Thread barger = new Thread(() -> {
                while (!stop.get()) { // tries to jump the queue the whole time
                    attempts.incrementAndGet();
                    lock.tryAcquire().ifPresent(h -> {
                        bargedAt.compareAndSet(-1, counter.tally());
                        h.close();
                    });
                }
            }, "barger");
            barger.start();
            try {
                for (int i = 0; i < waiters; i++) {
                    ChildJvm c = ChildJvm.start("fairwait", dirs.directory().toString(), "fair", "queue",
                            counterFile.toString(), Integer.toString(i));
                    c.awaitLine("WAITING", Duration.ofSeconds(30));
                    awaitWaiters(space, i + 1); // arrival order is start order
                    children.add(c);
                }
                // Freeze the queue (real SIGSTOP), then free the lock: with everyone queued asleep and
                // stopped, a newcomer must be refused every single time. A greedy lock lets it in at once.
                children.forEach(c -> c.signal("STOP"));
                try {
                    held.close();
                    for (int i = 0; i < 1_000; i++) {
                        assertTrue(lock.tryAcquire().isEmpty(), "a newcomer barged past " + waiters + " queued waiters");
                    }
                    assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ZERO),
                            "a newcomer with a timeout queues behind the waiters and gives up");
                } finally {
                    children.forEach(c -> c.signal("CONT"));
                }
                long before = attempts.get();
                for (int i = 0; i < waiters; i++) {
                    String line = children.get(i).awaitLine("ACQUIRED", Duration.ofSeconds(30));
                    assertEquals(Integer.toString(i + 1), ChildMain.field(line, "pos"),
                            "waiter " + i + " was served out of arrival order: " + line);
                }
                assertTrue(attempts.get() - before > 1_000, "the barger must really try: " + (attempts.get() - before));
            } finally {
                stop.set(true);
                barger.join(10_000);
                children.forEach(ChildJvm::close);
            }
            long barged = bargedAt.get();
            assertTrue(barged == -1 || barged >= waiters,
                    "a newcomer barged in after " + barged + " of " + waiters + " queued waiters were served");
            assertEquals(LockPolicy.FAIR, space.objects().get(0).policy());
        }
    }

    @Test
    void shouldPassTheLineOnWhenAQueuedWaiterTimesOut() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "fairtimeout")) {
            NamedLock lock = space.lock("q", LockOptions.fair());
            Held held = lock.acquire();
            Thread quitter = new Thread(() -> assertThrows(LockTimeoutException.class,
                    () -> lock.acquire(Duration.ofMillis(300))));
            quitter.start();
            awaitWaiters(space, 1);
            AtomicBoolean got = new AtomicBoolean();
            Thread patient = new Thread(() -> {
                try (Held h = lock.acquire(Duration.ofSeconds(20))) {
                    got.set(true);
                }
            });
            patient.start();
            awaitWaiters(space, 2);
            quitter.join(10_000);
            held.close();
            patient.join(10_000);
            assertTrue(got.get(), "the waiter behind a quitter must still be served");
            assertTrue(lock.tryAcquire().map(h -> {
                h.close();
                return true;
            }).orElse(false), "the queue is empty again: a newcomer gets in");
        }
    }

    @Test
    void shouldGiveAFairLockOfAKilledHolderToTheOldestWaiter() throws Exception {
        Path counterFile = dirs.file("order");
        try (LockSpace space = LockSpace.open(dirs.directory(), "fairdeath");
             ChildJvm holder = ChildJvm.start("holdfair", dirs.directory().toString(), "fairdeath", "q")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ChildJvm c = ChildJvm.start("fairwait", dirs.directory().toString(), "fairdeath", "q",
                            counterFile.toString(), Integer.toString(i));
                    c.awaitLine("WAITING", Duration.ofSeconds(30));
                    awaitWaiters(space, i + 1);
                    children.add(c);
                }
                holder.kill9();
                String first = children.get(0).awaitLine("ACQUIRED", Duration.ofSeconds(5));
                assertEquals("1", ChildMain.field(first, "pos"));
                assertEquals("true", ChildMain.field(first, "died"));
                String second = children.get(1).awaitLine("ACQUIRED", Duration.ofSeconds(5));
                assertEquals("2", ChildMain.field(second, "pos"));
                assertEquals("false", ChildMain.field(second, "died"));
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GREEDY:0", "GREEDY:100", "GREEDY:-1", "FAIR:0"})
    void shouldExcludeUnderEveryPolicy(String spec) throws Exception {
        String[] parts = spec.split(":");
        LockOptions options = new LockOptions(LockPolicy.valueOf(parts[0]), Integer.parseInt(parts[1]));
        SharedCounter counter = SharedCounter.open(dirs.file("c"));
        try (LockSpace space = LockSpace.open(dirs.directory(), "policies")) {
            NamedLock lock = space.lock("p", options);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        try (Held h = lock.acquire()) {
                            counter.enterExclusive();
                            counter.incrementPlain();
                            counter.exitExclusive();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join(60_000);
                assertFalse(th.isAlive());
            }
            assertEquals(0, counter.overlaps());
            assertEquals(20_000, counter.count());
            ObjectInfo info = space.objects().get(0);
            assertEquals(options.policy(), info.policy());
            assertEquals(options.spinLimit(), info.spinLimit());
        }
    }

    @Test
    void shouldRefuseConflictingOrInvalidOptions() {
        try (LockSpace space = LockSpace.open(dirs.directory(), "opts")) {
            space.lock("a", LockOptions.fair());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> space.lock("a", LockOptions.defaults()));
            assertTrue(e.getMessage().contains("FAIR"), e.getMessage());
            assertEquals(LockPolicy.FAIR, space.objects().get(0).policy(), "lock(name) keeps what exists");
            space.lock("a");
            assertThrows(IllegalArgumentException.class, () -> LockOptions.defaults().withSpinLimit(-2));
            assertThrows(IllegalArgumentException.class, () -> LockOptions.defaults().withSpinLimit(100_001));
            assertThrows(NullPointerException.class, () -> new LockOptions(null, 0));
        }
    }

    private static void awaitWaiters(LockSpace space, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (space.objects().get(0).waiters() < n) {
            assertTrue(System.nanoTime() < deadline, "waiters never queued");
            Thread.sleep(2);
        }
    }
}
