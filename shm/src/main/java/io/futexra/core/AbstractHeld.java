package io.futexra.core;

import io.futexra.Held;

/**
 * What every acquisition of the core shares: the fencing token and the owner-died flag fixed
 * when it was acquired. Each kind says who may close it and what closing releases; for all of
 * them a second close by an allowed closer does nothing, and a close by a thread that may not
 * close it throws {@link IllegalMonitorStateException} and releases nothing (process-owned holds:
 * any thread of the process may close them).
 */
abstract class AbstractHeld implements Held {

    private final long fencingToken;
    private final boolean previousOwnerDied;

    AbstractHeld(long fencingToken, boolean previousOwnerDied) {
        this.fencingToken = fencingToken;
        this.previousOwnerDied = previousOwnerDied;
    }

    @Override
    public final long fencingToken() {
        return fencingToken;
    }

    @Override
    public final boolean previousOwnerDied() {
        return previousOwnerDied;
    }

    /** "Held[what, token T(, previous owner died)]", the one shape of every kind's toString. */
    final String describe(String what, String died) {
        return "Held[" + what + ", token " + fencingToken + (previousOwnerDied ? ", " + died : "") + "]";
    }
}
