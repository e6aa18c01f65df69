package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events beyond their contract ({@link EventContract}, run by {@link SharedMemoryContractsTest}):
 * the PulseEvent race, {@code awaitAny}'s deadline and a signal from another process, interrupts
 * and bad arguments, and a signal racing the waiter's last look.
 */
@Timeout(180)
class EventTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldReleaseAWaiterEvenIfTheEventIsResetRightAfterTheSignal() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "pulse")) {
            NamedEvent e = space.event("pulse", EventMode.MANUAL_RESET);
            CompletableFuture<Boolean> waiter = onThreadOfItsOwn(() -> e.await(AwaitState.HANG_GUARD));
            AwaitState.waiters(space, "pulse", 1);
            e.signal();
            e.reset();
            assertTrue(waiter.get(), "the PulseEvent race lost a wake-up");
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
            assertTrue(waited >= 200, "gave up after " + waited + " ms, before its 200 ms deadline");

            CompletableFuture<Integer> any = onThreadOfItsOwn(() -> NamedEvent.awaitAny(AwaitState.HANG_GUARD, a, b, c));
            AwaitState.waiters(space, "c", 1);
            try (ChildJvm signaller = ChildJvm.start("signal", dirs.directory().toString(), "any", "c", "AUTO_RESET")) {
                signaller.awaitLine("SIGNALED", AwaitState.HANG_GUARD);
            }
            assertEquals(2, any.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
            assertFalse(c.isSignaled(), "awaitAny consumed the auto-reset signal it returned");
            b.signal();
            assertEquals(1, NamedEvent.awaitAny(AwaitState.HANG_GUARD, a, b, c));
            assertTrue(b.isSignaled(), "a manual-reset event stays signaled");
        }
    }

    @Test
    void shouldWakeAnInterruptedWaiterAndRefuseAModeMismatch() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "evint")) {
            NamedEvent e = space.event("never", EventMode.AUTO_RESET);
            NamedEvent other = space.event("nor-this", EventMode.MANUAL_RESET);
            CompletableFuture<String> interrupted = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    interrupted.completeExceptionally(new AssertionError("awaitAny returned "
                            + NamedEvent.awaitAny(AwaitState.HANG_GUARD, e, other)));
                } catch (LockInterruptedException expected) {
                    interrupted.complete(Thread.currentThread().isInterrupted() ? expected.getMessage() : "flag cleared");
                }
            });
            waiter.start();
            AwaitState.waiters(space, "never", 1);
            AwaitState.waiters(space, "nor-this", 1);
            waiter.interrupt();
            assertEquals("interrupted while waiting for events 'never' in space 'evint', 'nor-this' in space 'evint'."
                    + " Nothing is held; the thread's interrupt flag is still set.",
                    interrupted.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
            waiter.join();
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
            CompletableFuture<Void> waited = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        round.set(r); // about to wait: the signaller fires at a random moment around our look
                        long start = System.nanoTime();
                        int which = NamedEvent.awaitAny(AwaitState.HANG_GUARD, events);
                        if (System.nanoTime() - start >= AwaitState.HANG_GUARD.toNanos()) { // a hang, not a timing
                            throw new AssertionError("round " + r + ": slept through a signal until the hang guard");
                        }
                        assertEquals(r % events.length, which, "round " + r);
                        events[which].reset();
                    }
                    waited.complete(null);
                } catch (RuntimeException | Error e) {
                    waited.completeExceptionally(e);
                    round.set(Integer.MIN_VALUE); // let the signaller stop
                }
            });
            waiter.start();
            java.util.Random random = new java.util.Random(42);
            for (int r = 0; r < rounds; r++) {
                while (round.get() != r && round.get() != Integer.MIN_VALUE) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("the class's @Timeout ended the signaller's spin");
                    }
                    Thread.onSpinWait();
                }
                long until = System.nanoTime() + random.nextInt(50_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                events[r % events.length].signal();
            }
            waited.get(); // the class's @Timeout is the last guard
            waiter.join();
        }
    }

    /** Runs {@code wait} on a platform thread of its own (not a shared pool, which may be busy on 2 CPUs). */
    private static <T> CompletableFuture<T> onThreadOfItsOwn(java.util.function.Supplier<T> wait) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Thread(() -> {
            try {
                result.complete(wait.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "event-waiter").start();
        return result;
    }
}
