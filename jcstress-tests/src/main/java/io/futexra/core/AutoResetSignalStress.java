package io.futexra.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.futexra.EventMode;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Exactly-once delivery of auto-reset signals ({@link ShmNamedEvent}): a signal is the pending
 * count going up, a wait passes by taking one off with a CAS. Consumers use the event's
 * non-blocking look ({@code firstPassing}), the one {@code await} makes before it would sleep.
 */
public final class AutoResetSignalStress {

    private AutoResetSignalStress() {
    }

    static ShmNamedEvent freshEvent() {
        return new ShmNamedEvent(Slots.SPACE, "jcstress", EventMode.AUTO_RESET, Slots.fresh(), 0);
    }

    /** 1 when a non-blocking wait on {@code event} passed (and took a signal). */
    static int consume(ShmNamedEvent event) {
        return ShmNamedEvent.firstPassing(new ShmNamedEvent[] {event}, new int[] {event.start()}, false) == 0 ? 1 : 0;
    }

    /** Pending signals left. */
    static int pending(ShmNamedEvent event) {
        return event.start();
    }

    /** Two waiters race for one pending signal: one of them gets it, the other does not. */
    @JCStressTest
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "one waiter took the signal")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "one signal released two waits (duplicated)")
    @Outcome(expect = FORBIDDEN, desc = "a signal was lost or invented")
    @State
    public static class TwoWaitersOneSignal {

        private final ShmNamedEvent event = freshEvent();

        public TwoWaitersOneSignal() {
            event.signal();
        }

        @Actor
        public void waiter1(III_Result r) {
            r.r1 = consume(event);
        }

        @Actor
        public void waiter2(III_Result r) {
            r.r2 = consume(event);
        }

        @Arbiter
        public void left(III_Result r) {
            r.r3 = pending(event);
        }
    }

    /** A signal races a waiter: the waiter takes it, or it stays pending; it is never lost. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the waiter took the signal")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the waiter looked first; the signal is still pending")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost signal")
    @Outcome(expect = FORBIDDEN, desc = "a signal was duplicated or invented")
    @State
    public static class SignalRacesWaiter {

        private final ShmNamedEvent event = freshEvent();

        @Actor
        public void signaller() {
            event.signal();
        }

        @Actor
        public void waiter(II_Result r) {
            r.r1 = consume(event);
        }

        @Arbiter
        public void left(II_Result r) {
            r.r2 = pending(event);
        }
    }
}
