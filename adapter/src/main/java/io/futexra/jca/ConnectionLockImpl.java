package io.futexra.jca;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@link ConnectionLock}: the space's lock, acquired process-owned and tracked by its connection. */
final class ConnectionLockImpl implements ConnectionLock {

    /** "As long as it takes": saturates in the core's deadline arithmetic. */
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private final LockConnectionImpl connection;
    private final NamedLock lock;

    ConnectionLockImpl(LockConnectionImpl connection, NamedLock lock) {
        this.connection = connection;
        this.lock = lock;
    }

    @Override
    public String name() {
        return lock.name();
    }

    @Override
    public Held acquire() {
        return acquire(FOREVER);
    }

    @Override
    public Held acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return connection.track(runtime().acquire(connection.spaceName(), lock, timeout, TrackedHold.Scope.CONNECTION));
    }

    @Override
    public Optional<Held> tryAcquire() {
        connection.checkOpen();
        try {
            return Optional.of(connection.track(
                    runtime().acquire(connection.spaceName(), lock, Duration.ZERO, TrackedHold.Scope.CONNECTION)));
        } catch (LockTimeoutException busy) {
            return Optional.empty();
        }
    }

    @Override
    public TransactionHold acquireForTransaction(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return TransactionScope.acquire(runtime(), connection.spaceName(), lock, timeout);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        TrackedHold t = runtime().heldAt(connection.spaceName(), lock.name());
        return t != null && t.scope() == TrackedHold.Scope.CONNECTION && t.acquiredBy() == Thread.currentThread();
    }

    private AdapterRuntime runtime() {
        return connection.runtime();
    }

    @Override
    public String toString() {
        return "ConnectionLock[" + connection.spaceName() + "/" + lock.name() + "]";
    }
}
