package io.futexra.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What process-owned holds share ({@link ProcessHeld}, {@link ProcessRecordHeld}): any thread of
 * the process may close one, so "closed" is set by CAS, and exactly one closer releases.
 */
abstract class ProcessOwnedHeld extends AbstractHeld {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ProcessOwnedHeld.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 1 once closed. */
    private volatile int closed;

    ProcessOwnedHeld(ShmLockSpace space, long fencingToken, boolean previousOwnerDied) {
        super(space, fencingToken, previousOwnerDied);
    }

    /** Marks it closed; false if it was already (exactly one caller gets true). */
    final boolean markClosed() {
        return CLOSED.compareAndSet(this, 0, 1);
    }

    final boolean isClosed() {
        return closed != 0;
    }

    @Override
    final boolean closedByHolder() {
        return isClosed();
    }
}
