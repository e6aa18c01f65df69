package io.futexra.jca;

import io.futexra.EventMode;
import io.futexra.NamedEvent;
import java.time.Duration;
import java.util.Objects;

/** {@link ConnectionEvent}: the space's event, its waits registered so that adapter stop can end them. */
final class ConnectionEventImpl implements ConnectionEvent {

    private final LockConnectionImpl connection;
    private final NamedEvent event;

    ConnectionEventImpl(LockConnectionImpl connection, NamedEvent event) {
        this.connection = connection;
        this.event = event;
    }

    @Override
    public String name() {
        return event.name();
    }

    @Override
    public EventMode mode() {
        return event.mode();
    }

    @Override
    public void signal() {
        connection.checkOpen();
        event.signal();
    }

    @Override
    public void reset() {
        connection.checkOpen();
        event.reset();
    }

    @Override
    public boolean await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return connection.runtime().await(connection.spaceName(), "event '" + event.name() + "'",
                () -> event.await(timeout));
    }

    @Override
    public boolean isSignaled() {
        return event.isSignaled();
    }

    @Override
    public NamedEvent event() {
        return event;
    }

    @Override
    public String toString() {
        return "ConnectionEvent[" + connection.spaceName() + "/" + event.name() + "]";
    }
}
