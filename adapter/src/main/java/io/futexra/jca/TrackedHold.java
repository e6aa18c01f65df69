package io.futexra.jca;

import io.futexra.Held;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One process-owned acquisition made through the adapter, known to the {@link AdapterRuntime} until
 * released, so that connection close, container cleanup, transaction completion and adapter stop
 * can each release it — on any thread, exactly once.
 */
final class TrackedHold implements Held {

    /** Who releases it in the normal course. */
    enum Scope { CONNECTION, TRANSACTION }

    private final AdapterRuntime runtime;
    private final Held delegate;
    private final String key;
    private final String what;
    private final String spaceName;
    private final boolean exclusive;
    private final Scope scope;
    private final Thread acquiredBy;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile LockConnectionImpl connection;

    TrackedHold(AdapterRuntime runtime, Held delegate, String key, String spaceName, String what, boolean exclusive,
                Scope scope) {
        this.runtime = runtime;
        this.delegate = delegate;
        this.key = key;
        this.spaceName = spaceName;
        this.what = what;
        this.exclusive = exclusive;
        this.scope = scope;
        this.acquiredBy = Thread.currentThread();
    }

    @Override
    public boolean isHeld() {
        return !released.get() && delegate.isHeld();
    }

    @Override
    public long fencingToken() {
        return delegate.fencingToken();
    }

    @Override
    public boolean previousOwnerDied() {
        return delegate.previousOwnerDied();
    }

    /** Releases it, on any thread; closing twice is harmless. */
    @Override
    public void close() {
        release();
    }

    /** Releases it if nobody has yet; returns whether this call did. */
    boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        try {
            delegate.close();
        } finally {
            runtime.forget(this);
            LockConnectionImpl c = connection;
            if (c != null) {
                c.forget(this);
            }
        }
        return true;
    }

    boolean isReleased() {
        return released.get();
    }

    void attachTo(LockConnectionImpl c) {
        connection = c;
    }

    String key() {
        return key;
    }

    boolean exclusive() {
        return exclusive;
    }

    Scope scope() {
        return scope;
    }

    Thread acquiredBy() {
        return acquiredBy;
    }

    /** For warnings: which object, which token, who took it. */
    String describe() {
        return what + " in space '" + spaceName + "' (fencing token " + delegate.fencingToken()
                + ", acquired by thread '" + acquiredBy.getName() + "'" + (scope == Scope.TRANSACTION
                ? ", transaction-scoped" : "") + ")";
    }

    @Override
    public String toString() {
        return "Held[" + what + ", token " + delegate.fencingToken() + ", process-owned]";
    }
}
