package io.futexra.jca;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.NamedSemaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ConnectionSemaphore}: process-owned permits ({@link NamedSemaphore#acquireForProcess}), which
 * any thread may return, tracked by the connection.
 */
final class ConnectionSemaphoreImpl implements ConnectionSemaphore {

    private final LockConnectionImpl connection;
    private final NamedSemaphore semaphore;
    private final String key;
    private final String what;

    ConnectionSemaphoreImpl(LockConnectionImpl connection, NamedSemaphore semaphore) {
        this.connection = connection;
        this.semaphore = semaphore;
        this.key = connection.spaceName() + "/semaphore:" + semaphore.name();
        this.what = "a permit of semaphore '" + semaphore.name() + "'";
    }

    @Override
    public String name() {
        return semaphore.name();
    }

    @Override
    public int permits() {
        return semaphore.permits();
    }

    @Override
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Override
    public Held acquire() {
        return acquire(ConnectionLockImpl.FOREVER);
    }

    @Override
    public Held acquireForProcess(Duration timeout) {
        return acquire(timeout);
    }

    @Override
    public Held acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return connection.track(connection.runtime().acquire(connection.spaceName(), what, null, semaphore::acquireForProcess,
                timeout, connection));
    }

    @Override
    public Optional<Held> tryAcquire() {
        try {
            return Optional.of(acquire(Duration.ZERO));
        } catch (LockTimeoutException none) {
            return Optional.empty();
        }
    }

    @Override
    public TransactionHold acquireForTransaction(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return TransactionScope.acquire(connection.runtime(), connection.spaceName(), key, what, null, semaphore::acquireForProcess, timeout);
    }

    @Override
    public String toString() {
        return "ConnectionSemaphore[" + connection.spaceName() + "/" + semaphore.name() + "]";
    }
}
