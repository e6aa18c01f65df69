package io.futexra.jca;

import io.futexra.NamedEvent;
import java.time.Duration;

/**
 * A {@link NamedEvent} reached through a {@link LockConnection}. Events have no owner, so closing
 * the connection releases nothing; what the connection adds is that a thread waiting in
 * {@link #await} is woken when the adapter stops ({@link io.futexra.FutexRaException},
 * {@code FUTEXRA031}). {@link NamedEvent#awaitAny} waits on the space's own events: pass it
 * {@link #event()}s.
 */
public interface ConnectionEvent extends NamedEvent {

    /**
     * Waits until signaled or until {@code timeout} passes; ends early if the adapter stops.
     *
     * @param timeout how long to wait, on the monotonic clock
     * @return {@code true} if signaled (auto reset: this call consumed one signal), {@code false} on timeout
     * @throws io.futexra.FutexRaException if the adapter stops meanwhile ({@code FUTEXRA031})
     */
    @Override
    boolean await(Duration timeout);

    /** {@return the space's event itself, for {@link NamedEvent#awaitAny}} */
    NamedEvent event();
}
