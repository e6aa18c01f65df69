package io.futexra.jca;

import io.futexra.EventMode;
import io.futexra.NamedEvent;
import java.time.Duration;

/**
 * A {@link NamedEvent} reached through a {@link LockConnection}. Events have no owner, so closing
 * the connection releases nothing; what the connection adds is that a thread waiting in
 * {@link #await} is woken when the adapter stops ({@link io.futexra.FutexRaException},
 * {@code FUTEXRA031}). For {@link NamedEvent#awaitAny}, pass {@link #event()}s.
 */
public interface ConnectionEvent {

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
     * @return {@code true} if signaled (auto reset: this call consumed one signal), {@code false} on timeout
     */
    boolean await(Duration timeout);

    /** {@return whether it is signaled now (auto reset: whether a signal is pending)} */
    boolean isSignaled();

    /** {@return the space's event itself, for {@link NamedEvent#awaitAny}} */
    NamedEvent event();
}
