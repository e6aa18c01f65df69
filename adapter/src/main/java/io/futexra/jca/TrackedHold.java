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
    private final Scope scope;
    private final Thread acquiredBy;
    /** 1 once released; set by CAS, so that exactly one caller releases (a field, not an object per hold). */
    private volatile int released;
    private volatile LockConnectionImpl connection;
    /** Its neighbours in its connection's {@link TrackedHolds}; guarded by that list's monitor. */
    TrackedHold previous;
    TrackedHold next;

    TrackedHold(AdapterRuntime runtime, Held delegate, ExclusiveSlot slot, String spaceName, String what, Scope scope) {
        this.runtime = runtime;
        this.delegate = delegate;
        this.slot = slot;
        this.spaceName = spaceName;
        this.what = what;
        this.scope = scope;
        this.acquiredBy = Thread.currentThread();
    }

    @Override
    public boolean isHeld() {
        return released == 0 && delegate.isHeld();
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
        LockConnectionImpl c = connection;
        if (c != null) {
            c.forget(this);
        }
        delegate.close();
        return true;
    }

    boolean isReleased() {
        return released != 0;
    }

    void attachTo(LockConnectionImpl c) {
        connection = c;
    }

    /** The object's slot if it is exclusive, else null. */
    ExclusiveSlot slot() {
        return slot;
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
