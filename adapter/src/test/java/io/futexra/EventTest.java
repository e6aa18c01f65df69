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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Events across processes: manual reset wakes all, auto reset lets exactly one wait through per signal. */
@Timeout(180)
class EventTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldWakeWaitersInThreeJvmsOnAManualResetSignal() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "manual")) {
            NamedEvent done = space.event("import-done", EventMode.MANUAL_RESET);
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ChildJvm c = ChildJvm.start("awaitevent", dirs.directory().toString(), "manual", "import-done",
                            "MANUAL_RESET");
                    c.awaitLine("WAITING", Duration.ofSeconds(30));
                    children.add(c);
                }
                awaitSleepers(space, 3);
                done.signal();
                for (ChildJvm c : children) {
                    c.awaitLine("SIGNALED", Duration.ofSeconds(5));
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertTrue(done.isSignaled());
            assertTrue(done.await(Duration.ZERO), "later waiters pass while it stays signaled");
            done.reset();
            assertFalse(done.isSignaled());
            assertFalse(done.await(Duration.ofMillis(100)));
        }
    }

    @Test
    void shouldLetExactlyNWaitsThroughForNAutoResetSignalsAcrossProcesses() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        int signals = 3_000;
        try (LockSpace space = LockSpace.open(dirs.directory(), "auto")) {
            NamedEvent work = space.event("work", EventMode.AUTO_RESET);
            NamedEvent stop = space.event("stop", EventMode.MANUAL_RESET);
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ChildJvm c = ChildJvm.start("consume", dirs.directory().toString(), "auto", "work", "stop",
                            counterFile.toString(), "2");
                    c.awaitLine("READY", Duration.ofSeconds(30));
                    children.add(c);
                }
                for (int i = 0; i < signals; i++) {
                    work.signal();
                    if (i % 100 == 0) {
                        Thread.sleep(1); // let waiters fall asleep now and then: both paths are exercised
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (counter.tally() < signals && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(200); // a surplus pass would show up here
                stop.signal();
                long total = 0;
                for (ChildJvm c : children) {
                    total += Long.parseLong(ChildMain.field(c.awaitLine("CONSUMED", Duration.ofSeconds(30)), "count"));
                    assertEquals(0, c.awaitExit(Duration.ofSeconds(10)), c.transcript());
                }
                assertEquals(signals, counter.tally(), "each signal must let exactly one wait through");
                assertEquals(signals, total);
                assertFalse(work.isSignaled(), "no signal left over");
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void shouldReleaseAWaiterEvenIfTheEventIsResetRightAfterTheSignal() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "pulse")) {
            NamedEvent e = space.event("pulse", EventMode.MANUAL_RESET);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> e.await(Duration.ofSeconds(10)));
            awaitSleepers(space, 1);
            e.signal();
            e.reset();
            assertTrue(waiter.get(5, TimeUnit.SECONDS), "the PulseEvent race lost a wake-up");
        }
    }

    @Test
    void shouldReturnTheIndexSignaledFromAnotherProcessAndHonourTheDeadline() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "any")) {
            NamedEvent a = space.event("a", EventMode.AUTO_RESET);
            NamedEvent b = space.event("b", EventMode.MANUAL_RESET);
            NamedEvent c = space.event("c", EventMode.AUTO_RESET);
            long start = System.nanoTime();
            assertEquals(-1, NamedEvent.awaitAny(Duration.ofMillis(200), a, b, c));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 200 && waited < 5_000, "waited " + waited + " ms");

            CompletableFuture<Integer> any = CompletableFuture.supplyAsync(() -> NamedEvent.awaitAny(Duration.ofSeconds(20), a, b, c));
            awaitSleepers(space, 1);
            try (ChildJvm signaller = ChildJvm.start("signal", dirs.directory().toString(), "any", "c", "AUTO_RESET")) {
                signaller.awaitLine("SIGNALED", Duration.ofSeconds(30));
            }
            assertEquals(2, any.get(5, TimeUnit.SECONDS));
            assertFalse(c.isSignaled(), "awaitAny consumed the auto-reset signal it returned");
            b.signal();
            assertEquals(1, NamedEvent.awaitAny(Duration.ofSeconds(1), a, b, c));
            assertTrue(b.isSignaled(), "a manual-reset event stays signaled");
        }
    }

    @Test
    void shouldWakeAnInterruptedWaiterAndRefuseAModeMismatch() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "evint")) {
            NamedEvent e = space.event("never", EventMode.AUTO_RESET);
            NamedEvent other = space.event("nor-this", EventMode.MANUAL_RESET);
            java.util.concurrent.atomic.AtomicReference<String> message = new java.util.concurrent.atomic.AtomicReference<>();
            Thread waiter = new Thread(() -> {
                message.set(assertThrows(LockInterruptedException.class,
                        () -> NamedEvent.awaitAny(Duration.ofSeconds(30), e, other)).getMessage());
                assertTrue(Thread.currentThread().isInterrupted());
            });
            waiter.start();
            awaitSleepers(space, 2);
            waiter.interrupt();
            waiter.join(5_000);
            assertFalse(waiter.isAlive());
            assertEquals("interrupted while waiting for events 'never' in space 'evint', 'nor-this' in space 'evint'."
                    + " Nothing is held; the thread's interrupt flag is still set.", message.get());
            assertEquals(0, space.objects().stream().mapToInt(ObjectInfo::waiters).sum(),
                    "the interrupted wait lowered both sleeper counts");
            assertThrows(IllegalArgumentException.class, () -> space.event("never", EventMode.MANUAL_RESET));
            assertThrows(IllegalArgumentException.class, () -> NamedEvent.awaitAny(Duration.ZERO));
        }
    }

    @Test
    void shouldNeverSleepThroughASignalThatRacesTheWaitersLastLook() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "race")) {
            NamedEvent[] events = new NamedEvent[8];
            for (int i = 0; i < events.length; i++) {
                events[i] = space.event("e" + i, i % 2 == 0 ? EventMode.AUTO_RESET : EventMode.MANUAL_RESET);
            }
            int rounds = 3_000;
            java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger(-1);
            long[] worst = new long[1];
            Thread waiter = new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    round.set(r); // about to wait: the signaller fires at a random moment around our look
                    long t0 = System.nanoTime();
                    int which = NamedEvent.awaitAny(Duration.ofSeconds(5), events);
                    worst[0] = Math.max(worst[0], System.nanoTime() - t0);
                    assertEquals(r % events.length, which);
                    events[which].reset();
                }
            });
            waiter.start();
            java.util.Random random = new java.util.Random(42);
            for (int r = 0; r < rounds; r++) {
                while (round.get() != r) {
                    Thread.onSpinWait();
                }
                long until = System.nanoTime() + random.nextInt(50_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                events[r % events.length].signal();
            }
            waiter.join(120_000);
            assertFalse(waiter.isAlive());
            assertTrue(worst[0] < TimeUnit.SECONDS.toNanos(2), "a waiter slept through a signal for "
                    + TimeUnit.NANOSECONDS.toMillis(worst[0]) + " ms");
        }
    }

    private static void awaitSleepers(LockSpace space, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (space.objects().stream().mapToInt(ObjectInfo::waiters).sum() < n) {
            assertTrue(System.nanoTime() < deadline, "waiters never went to sleep");
            Thread.sleep(2);
        }
    }
}
