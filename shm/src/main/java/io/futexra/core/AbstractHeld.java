package io.futexra.core;

import io.futexra.Held;
import java.util.Objects;

/**
 * What every acquisition of the core shares: the fencing token and the owner-died flag fixed
 * when it was acquired. Each kind says who may close it and what closing releases; for all of
 * them a second close by an allowed closer does nothing, and a close by a thread that may not
 * close it throws {@link IllegalMonitorStateException} and releases nothing (process-owned holds:
 * any thread of the process may close them).
 *
 * <p>Loss. An acquisition is lost when its space is ({@link ShmLockSpace#lose}: the file removed
 * or replaced under its mappers, or the space broken), or when its word no longer names it (a
 * co-writer of the file overwrote it; found within a second by the clock thread,
 * {@link ShmLockSpace#tellOverwrittenHolds}): {@link #isHeld()} is false from then on and each
 * {@link #onLost} action runs once, on the thread that found the loss, unless the holder closed
 * the acquisition first; an action registered on an acquisition already lost runs at once.
 */
abstract class AbstractHeld implements Held {

    private final ShmLockSpace space;
    private final long fencingToken;
    private final boolean previousOwnerDied;

    AbstractHeld(ShmLockSpace space, long fencingToken, boolean previousOwnerDied) {
        this.space = space;
        this.fencingToken = fencingToken;
        this.previousOwnerDied = previousOwnerDied;
    }

    /** Whether the acquisition still holds as the kind knows it (not closed, its word or record still its own). */
    abstract boolean holds();

    /** Whether the holder closed it. */
    abstract boolean closedByHolder();

    /** {@link #holds()}, and the space not lost. */
    @Override
    public final boolean isHeld() {
        return space.lostReason() == null && holds();
    }

    @Override
    public final Held onLost(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!closedByHolder()) {
            space.onLost(this, action); // at once if the space is lost already
        }
        return this;
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
