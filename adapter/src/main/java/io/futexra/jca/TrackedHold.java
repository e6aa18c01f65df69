package io.futexra.jca;

import io.futexra.Held;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One process-owned acquisition made through the adapter, known to the {@link AdapterRuntime} until
 * released, so that connection close, container cleanup, transaction completion and adapter stop
 * can each release it — on any thread, exactly once.
 */
final class TrackedHold implements Held {

    /** Who releases it in the normal course. */
    enum Scope { CONNECTION, TRANSACTION }

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(TrackedHold.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AdapterRuntime runtime;
    private final Held delegate;
    /** The object's slot if it is exclusive (a lock, a write lock); null for shared holds (read holds, permits). */
    private final ExclusiveSlot slot;
    private final String what;
    private final String spaceName;
    /** The connection it was made through, or null for a transaction-scoped hold. */
    private final LockConnectionImpl connection;
    private final Thread acquiredBy;
    /** 1 once released; set by CAS, so that exactly one caller releases (a field, not an object per hold). */
    private volatile int released;

    /**
     * @param connection the connection it is made through (a shared hold is counted there until
     *     released; an exclusive one is found in its slot); null for a transaction-scoped hold
     */
    TrackedHold(AdapterRuntime runtime, Held delegate, ExclusiveSlot slot, LockConnectionImpl connection, String spaceName,
                String what) {
        this.runtime = runtime;
        this.delegate = delegate;
        this.slot = slot;
        this.connection = connection;
        this.spaceName = spaceName;
        this.what = what;
        if (connection != null && slot == null) {
            connection.sharedHoldOpened(); // before it is registered: see LockConnectionImpl's close
        }
        this.acquiredBy = Thread.currentThread();
    }

    @Override
    public boolean isHeld() {
        return released == 0 && delegate.isHeld();
    }

    /** The backend's loss, told while this hold is not released (see {@link Held#onLost}). */
    @Override
    public Held onLost(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        delegate.onLost(() -> {
            if (released == 0) {
                action.run();
            }
        });
        return this;
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

    /**
     * Releases it if nobody has yet; returns whether this call did. It is forgotten first, while
     * the object is still held: an exclusive slot then never names a hold whose object another
     * acquisition may already have taken.
     */
    boolean release() {
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            return false;
        }
        runtime.forget(this);
        if (connection != null && slot == null) {
            connection.sharedHoldReleased();
        }
        delegate.close();
        return true;
    }

    boolean isReleased() {
        return released != 0;
    }

    /** The connection it was made through, or null for a transaction-scoped hold. */
    LockConnectionImpl connection() {
        return connection;
    }

    /** The object's slot if it is exclusive, else null. */
    ExclusiveSlot slot() {
        return slot;
    }

    Scope scope() {
        return connection == null ? Scope.TRANSACTION : Scope.CONNECTION;
    }

    Thread acquiredBy() {
        return acquiredBy;
    }

    /** For warnings: which object, which token, who took it. */
    String describe() {
        return what + " in space '" + spaceName + "' (fencing token " + delegate.fencingToken()
                + ", acquired by thread '" + acquiredBy.getName() + "'" + (connection == null
                ? ", transaction-scoped" : "") + ")";
    }

    @Override
    public String toString() {
        return "Held[" + what + ", token " + delegate.fencingToken() + ", process-owned]";
    }
}
