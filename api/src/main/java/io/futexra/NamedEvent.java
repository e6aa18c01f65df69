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
     * @throws IllegalArgumentException if there are no events, or they belong to different backends, or
     *     the backend refuses them (shared memory: more than 127, or a null)
     */
    static int awaitAny(Duration timeout, NamedEvent... events) {
        LockSpaceProvider backend = null;
        NamedEvent first = null;
        for (NamedEvent e : events) {
            if (e == null) {
                continue; // the backend refuses it, naming its index
            }
            LockSpaceProvider owner = Backends.owning(e);
            if (backend == null) {
                backend = owner;
                first = e;
            } else if (owner != backend) {
                throw new IllegalArgumentException("awaitAny cannot wait on events of two backends at once ("
                        + first + " and " + e + "): use one thread per backend");
            }
        }
        if (backend == null) {
            throw new IllegalArgumentException("awaitAny takes 1 or more events, not " + events.length
                    + (events.length == 0 ? "" : " nulls"));
        }
        return backend.awaitAny(timeout, events);
    }
}
