package io.futexra.jca;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import io.futexra.NamedLockView;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * {@link ConnectionLock}: a lock, or one side of a reader/writer lock, acquired on behalf of the
 * process and tracked by its connection: every side uses the core's process-owned acquisition
 * ({@link NamedLock#acquireForProcess}), which any thread may release.
 */
final class ConnectionLockImpl implements ConnectionLock {

    /** "As long as it takes": saturates in the core's deadline arithmetic. */
    static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private final LockConnectionImpl connection;
    private final NamedLock lock;
    /** "space/kind:name": what a transaction remembers it by. */
    private final String key;
    private final String what;
    /** The object's slot for an exclusive side (found once per handle), null for the read side. */
    private final ExclusiveSlot slot;
    /** {@link #asLock()}: one view per handle, so re-entries through it are counted together. */
    private final Lock view = new NamedLockView(this);
    /** How the adapter acquires it: made once, not per acquisition. */
    private final AdapterRuntime.Acquisition forProcess = this::acquireForProcess;

    private ConnectionLockImpl(LockConnectionImpl connection, NamedLock lock, String kind, String what, boolean exclusive) {
        this.connection = connection;
        this.lock = lock;
        this.key = connection.spaceName() + "/" + kind + ":" + lock.name();
        this.what = what;
        this.slot = exclusive ? connection.runtime().exclusiveSlot(key) : null;
        if (slot != null) {
            connection.usesSlot(slot); // before any acquisition through this handle: see LockConnectionImpl's close
        }
    }

    static ConnectionLock exclusive(LockConnectionImpl connection, NamedLock lock) {
        return new ConnectionLockImpl(connection, lock, "lock", "lock '" + lock.name() + "'", true);
    }

    static ConnectionLock writeSide(LockConnectionImpl connection, NamedLock lock) {
        return new ConnectionLockImpl(connection, lock, "write", "write lock '" + lock.name() + "'", true);
    }

    static ConnectionLock readSide(LockConnectionImpl connection, NamedLock lock) {
        return new ConnectionLockImpl(connection, lock, "read", "read lock '" + lock.name() + "'", false);
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
        return connection.track(runtime().acquire(connection.spaceName(), what, slot, forProcess, timeout,
                connection));
    }

    @Override
    public Optional<Held> tryAcquire() {
        try {
            return Optional.of(acquire(Duration.ZERO));
        } catch (LockTimeoutException busy) {
            return Optional.empty();
        }
    }

    @Override
    public Held acquireForProcess(Duration timeout) {
        return lock.acquireForProcess(timeout);
    }

    @Override
    public TransactionHold acquireForTransaction(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        connection.checkOpen();
        return TransactionScope.acquire(runtime(), connection.spaceName(), key, what, slot, forProcess, timeout);
    }

    @Override
    public Lock asLock() {
        return view;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        TrackedHold t = slot == null ? null : slot.current();
        return t != null && t.scope() == TrackedHold.Scope.CONNECTION && t.acquiredBy() == Thread.currentThread();
    }

    private AdapterRuntime runtime() {
        return connection.runtime();
    }

    @Override
    public String toString() {
        return "ConnectionLock[" + connection.spaceName() + "/" + what + "]";
    }
}
