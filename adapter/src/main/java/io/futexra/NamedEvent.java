package io.futexra;

import io.futexra.spi.LockSpaceProvider;
import java.time.Duration;
import java.util.Objects;

/**
 * A named event: one process signals, waiters in any process on the host wake. In the sense of
 * Bahmann and Froitzheim's futex-based notification, the event is one futex word holding a
 * sequence number (or a count of pending signals) and a signaled bit; waiters sleep only while the
 * word holds the value they read, so no signal is lost between a waiter's check and its sleep.
 *
 * <p>Events have no owner: any thread may signal or reset, and a process dying while waiting
 * leaves nothing behind. Waits are interruptible ({@link LockInterruptedException}) and timed on
 * the monotonic clock.
 */
public interface NamedEvent {

    /** {@return the event's name in its space} */
    String name();

    /** {@return how it resets: manual or auto} */
    EventMode mode();

    /** Signals: manual reset sets it and wakes every waiter; auto reset lets one waiter through. */
    void signal();

    /** Manual reset: clears the signaled state. Auto reset: discards pending signals. */
    void reset();

    /**
     * Waits until signaled or until {@code timeout} passes.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     * @return {@code true} if signaled (auto reset: this call consumed one signal), {@code false}
     *     on timeout
     */
    boolean await(Duration timeout);

    /** {@return whether it is signaled now (auto reset: whether a signal is pending)} */
    boolean isSignaled();

    /**
     * Waits until any of {@code events} is signaled; an auto-reset event's signal is consumed only
     * by the call that returns it. The events may come from any spaces of one backend (shared
     * memory: up to 127 events, one {@code futex_waitv} call).
     *
     * @param timeout how long to wait, on the monotonic clock
     * @param events the events, from spaces of one backend
     * @return the index of a signaled event, or -1 if {@code timeout} passed first
     * @throws IllegalArgumentException if there are no events, too many for the backend (shared
     *     memory: more than 127), or events of different backends
     * @throws LockInterruptedException if the thread is interrupted while it waits (the flag stays set)
     */
    static int awaitAny(Duration timeout, NamedEvent... events) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(events, "events");
        if (events.length == 0) {
            throw new IllegalArgumentException("awaitAny needs at least one event");
        }
        LockSpaceProvider backend = Backends.owning(events[0]);
        for (int i = 0; i < events.length; i++) {
            NamedEvent e = Objects.requireNonNull(events[i], "event " + i);
            if (Backends.owning(e) != backend) {
                throw new IllegalArgumentException("awaitAny cannot wait on events of two backends at once ("
                        + events[0] + " and " + e + "): use one thread per backend");
            }
        }
        return backend.awaitAny(timeout, events);
    }
}
