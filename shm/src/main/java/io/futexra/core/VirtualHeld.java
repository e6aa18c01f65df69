package io.futexra.core;

import io.futexra.Held;

/**
 * One acquisition by a virtual thread ({@link VirtualCallers}): a level of a process-owned hold
 * that only the acquiring thread may close. A close on another thread throws
 * {@link IllegalMonitorStateException} and releases nothing; a second close by the owner does
 * nothing; the last level's close releases the process-owned hold.
 */
final class VirtualHeld implements Held {

    private final VirtualCallers.Entry entry;
    private final Thread owner = Thread.currentThread();
    /** The first level carries the acquisition's news; a re-entry none. */
    private final boolean outermost;
    private boolean closed;

    VirtualHeld(VirtualCallers.Entry entry, boolean outermost) {
        this.entry = entry;
        this.outermost = outermost;
    }

    @Override
    public long fencingToken() {
        return entry.held.fencingToken();
    }

    @Override
    public boolean previousOwnerDied() {
        return outermost && entry.held.previousOwnerDied();
    }

    @Override
    public boolean isHeld() {
        return !closed && entry.held.isHeld();
    }

    @Override
    public Held onLost(Runnable action) {
        if (!closed) {
            entry.held.onLost(action);
        }
        return this;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalMonitorStateException(entry.held + " was acquired by virtual thread " + owner
                    + " and cannot be released by thread " + Thread.currentThread().getName()
                    + ". Release it on the thread that acquired it.");
        }
        if (closed) {
            return;
        }
        closed = true;
        entry.close();
    }

    @Override
    public String toString() {
        return entry.held.toString();
    }
}
