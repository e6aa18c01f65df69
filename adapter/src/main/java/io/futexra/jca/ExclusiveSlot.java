package io.futexra.jca;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the adapter keeps the one acquisition of an exclusive object (a lock, a write lock) that
 * this process may hold through it at a time: one slot per object ("space/kind:name"), found once
 * per handle ({@link AdapterRuntime#exclusiveSlot}), so that an acquisition costs a read and a
 * write of this field instead of map operations.
 *
 * <p>Only the hold's own path writes it: set after the object was acquired, cleared (by that
 * hold's one release) before the object is released. So while this process holds the object through
 * the adapter the slot names that hold, but for the moments around its acquisition and release,
 * which every reader allows for ({@link #current()} skips a released hold). The slot outlives its
 * holds: slots are as many as the exclusive objects ever used through the adapter.
 */
final class ExclusiveSlot {

    private final AtomicReference<TrackedHold> hold = new AtomicReference<>();

    /** The hold of the object through the adapter, or {@code null} if none (or it is being released). */
    TrackedHold current() {
        TrackedHold t = hold.get();
        return t == null || t.isReleased() ? null : t;
    }

    /** The object was just acquired as {@code t}. */
    void set(TrackedHold t) {
        hold.set(t);
    }

    /**
     * {@code t} is about to release the object: the slot forgets it. Only the one release of
     * {@code t} calls this, while {@code t} still holds the object, so no other hold can be set
     * meanwhile (one is set only after its object was acquired): a read and an ordered write do,
     * and the release of the object that follows (an atomic on its word) publishes the write
     * before any next acquisition.
     */
    void clear(TrackedHold t) {
        if (hold.get() == t) {
            hold.lazySet(null);
        }
    }
}
