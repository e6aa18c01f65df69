package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.ContractChild;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of every event, on any backend (see {@link ContractBase}): a manual-reset signal
 * wakes every waiter in every JVM and stays until reset; each auto-reset signal, from several
 * processes, is delivered exactly once to waiters in several JVMs, none lost (a lost wake-up
 * leaves consumers asleep with signals pending, and the hang guard fails the test); timeouts;
 * interrupts; {@code awaitAny} returns the signaled event and consumes only its signal; and a
 * waiter killed with {@code kill -9} takes no signal with it.
 */
public abstract class EventContract extends ContractBase {

    /** Auto-reset signals sent in the exactly-once check, half from this JVM and half from a child. */
    public static final int SIGNALS = 2_000;
    private static final String EVENT = "contract-event";
    private static final String STOP = "contract-stop";

    @Test
    void shouldWakeEveryWaiterInEveryJvmOnAManualResetSignalAndStaySignaledUntilReset() throws Exception {
        try (LockSpace space = openSpace("manual")) {
            NamedEvent event = space.event(EVENT, EventMode.MANUAL_RESET);
            List<ChildJvm> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    waiters.add(startChild(ContractChild.args("awaitevent", childSpaceArgs("manual"), EVENT,
                            EventMode.MANUAL_RESET)));
                    waiters.get(i).awaitLine("WAITING", AwaitState.HANG_GUARD);
                }
                awaitWaiters(space, EVENT, 2);
                event.signal();
                for (ChildJvm w : waiters) {
                    w.awaitLine("SIGNALED", AwaitState.HANG_GUARD);
                }
            } finally {
                waiters.forEach(ChildJvm::close);
            }
            assertTrue(event.isSignaled(), "stays signaled");
            assertTrue(event.await(Duration.ZERO), "a later waiter passes at once");
            event.reset();
            assertFalse(event.isSignaled(), "reset");
            assertFalse(event.await(Duration.ofMillis(50)), "no pass after a reset");
        }
    }

    @Test
    void shouldDeliverEveryAutoResetSignalExactlyOnceAcrossJvms() throws Exception {
        try (LockSpace space = openSpace("auto")) {
            NamedEvent event = space.event(EVENT, EventMode.AUTO_RESET);
            Path counterFile = scratchFile("auto.counter");
            SharedCounter consumed = SharedCounter.open(counterFile);
            List<ChildJvm> consumers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    consumers.add(startChild(ContractChild.args("consume", childSpaceArgs("auto"), EVENT, STOP,
                            counterFile, 2)));
                    consumers.get(i).awaitLine("READY", AwaitState.HANG_GUARD);
                }
                awaitWaiters(space, EVENT, 4);
                try (ChildJvm signaller = startChild(ContractChild.args("signaln", childSpaceArgs("auto"), EVENT,
                        EventMode.AUTO_RESET, SIGNALS / 2))) {
                    for (int i = 0; i < SIGNALS / 2; i++) {
                        event.signal();
                        if (i % 100 == 99) {
                            awaitWaiters(space, EVENT, 1); // a consumer asleep again: signals meet sleepers and running consumers both
                        }
                    }
                    signaller.awaitLine("SIGNALED", AwaitState.HANG_GUARD);
                }
                AwaitState.until(SIGNALS + " signals consumed (a lost wake-up leaves some pending)",
                        () -> consumed.tally() >= SIGNALS);
                assertFalse(event.isSignaled(), "no signal left pending");
                space.event(STOP, EventMode.MANUAL_RESET).signal();
                long reported = 0;
                for (ChildJvm c : consumers) {
                    reported += Long.parseLong(ChildMain.field(c.awaitLine("CONSUMED", AwaitState.HANG_GUARD), "count"));
                    assertEquals(0, c.awaitExit(AwaitState.HANG_GUARD), c.transcript());
                }
                assertEquals(SIGNALS, reported, "signals passed, as the consumers counted them");
                assertEquals(SIGNALS, consumed.tally(), "each signal let exactly one wait through");
            } finally {
                consumers.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void shouldTimeOutWithoutASignal() throws Exception {
        try (LockSpace space = openSpace("timeout")) {
            NamedEvent auto = space.event("auto", EventMode.AUTO_RESET);
            NamedEvent manual = space.event("manual", EventMode.MANUAL_RESET);
            assertFalse(auto.await(Duration.ofMillis(50)), "auto reset");
            assertFalse(manual.await(Duration.ofMillis(50)), "manual reset");
            assertEquals(-1, NamedEvent.awaitAny(Duration.ofMillis(50), auto, manual), "awaitAny");
        }
    }

    @Test
    void shouldTakeTimeoutsBeyondWhatNanosecondsHold() throws Exception {
        try (LockSpace space = openSpace("beyond-nanos")) {
            NamedEvent auto = space.event("auto", EventMode.AUTO_RESET);
            NamedEvent manual = space.event("manual", EventMode.MANUAL_RESET);
            assertFalse(auto.await(BEYOND_NANOS.negated()), "minus 292 billion years: looks once");
            assertEquals(-1, NamedEvent.awaitAny(BEYOND_NANOS.negated(), auto, manual), "awaitAny looks once");
            auto.signal();
            assertTrue(auto.await(BEYOND_NANOS), "signaled: returns at once");
            manual.signal();
            assertEquals(1, NamedEvent.awaitAny(BEYOND_NANOS, auto, manual), "awaitAny returns the signaled one");
            CompletableFuture<Boolean> woken = new CompletableFuture<>();
            Thread waiter = callerThread(() -> woken.complete(auto.await(BEYOND_NANOS)), "beyond-nanos-waiter");
            waiter.start();
            awaitWaiters(space, "auto", 1);
            auto.signal();
            assertTrue(woken.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "woken by the signal");
            waiter.join();
        }
    }

    @Test
    void shouldThrowLockInterruptedExceptionToAnInterruptedWaiter() throws Exception {
        try (LockSpace space = openSpace("interrupt")) {
            NamedEvent auto = space.event("auto", EventMode.AUTO_RESET);
            NamedEvent manual = space.event("manual", EventMode.MANUAL_RESET);
            assertInterruptible(space, "auto", () -> auto.await(AwaitState.HANG_GUARD));
            assertInterruptible(space, "manual", () -> NamedEvent.awaitAny(AwaitState.HANG_GUARD, auto, manual));
            assertFalse(auto.isSignaled() || manual.isSignaled(), "an interrupt signals nothing");
        }
    }

    @Test
    void shouldReturnTheSignaledEventOfAwaitAnyAndConsumeOnlyItsSignal() throws Exception {
        try (LockSpace space = openSpace("any")) {
            NamedEvent a = space.event("a", EventMode.AUTO_RESET);
            NamedEvent b = space.event("b", EventMode.AUTO_RESET);
            a.signal();
            b.signal();
            int first = NamedEvent.awaitAny(AwaitState.HANG_GUARD, a, b);
            assertTrue(first == 0 || first == 1, "one of them: " + first);
            assertTrue(first == 0 ? !a.isSignaled() && b.isSignaled() : a.isSignaled() && !b.isSignaled(),
                    "only the returned event's signal is consumed");
            assertEquals(1 - first, NamedEvent.awaitAny(AwaitState.HANG_GUARD, a, b), "then the other");
            assertEquals(-1, NamedEvent.awaitAny(Duration.ofMillis(50), a, b), "and nothing more");

            CompletableFuture<Integer> woken = new CompletableFuture<>();
            Thread waiter = callerThread(() -> woken.complete(NamedEvent.awaitAny(AwaitState.HANG_GUARD, a, b)), "any-waiter");
            waiter.start();
            awaitWaiters(space, "b", 1);
            try (ChildJvm signaller = startChild(ContractChild.args("signaln", childSpaceArgs("any"), "b",
                    EventMode.AUTO_RESET, 1))) {
                signaller.awaitLine("SIGNALED", AwaitState.HANG_GUARD);
            }
            assertEquals(1, woken.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "woken by another JVM's signal");
            waiter.join();
            assertFalse(a.isSignaled() || b.isSignaled(), "the signal was consumed by the call that returned it");
        }
    }

    @Test
    void shouldKeepTheSignalThatAKilledWaiterNeverTook() throws Exception {
        try (LockSpace space = openSpace("death");
             ChildJvm waiter = startChild(ContractChild.args("awaitevent", childSpaceArgs("death"), EVENT,
                     EventMode.AUTO_RESET))) {
            NamedEvent event = space.event(EVENT, EventMode.AUTO_RESET);
            waiter.awaitLine("WAITING", AwaitState.HANG_GUARD);
            awaitWaiters(space, EVENT, 1);
            waiter.kill9();
            event.signal();
            assertTrue(event.await(AwaitState.HANG_GUARD), "the signal is still there for a living waiter");
            assertFalse(event.isSignaled(), "and taken once");
        }
    }
}
