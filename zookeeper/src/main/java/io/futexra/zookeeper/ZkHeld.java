package io.futexra.zookeeper;

import io.futexra.Held;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One acquisition in a ZooKeeper space: thread-owned (only {@code owner} may close it) or
 * process-owned ({@code owner} null: any thread, once).
 *
 * <p>{@link #isHeld()} is false once closed; for good once the hold is lost ({@link ZkLoss}: its
 * node was deleted, its session expired, or the client was not known connected for long enough
 * that the ensemble may have expired it — the {@link #onLost} actions then run once); and, short
 * of that, while the client's connection is {@code SUSPENDED}: the hold is in doubt then, and true
 * again on {@code RECONNECTED} in the same session if the node survived, with no action run.
 * Re-entries of one hold share its {@link ZkLoss}; each {@code ZkHeld}'s actions run only while it
 * is not closed.
 */
final class ZkHeld implements Held {

    private final String what;
    private final Thread owner;
    private final long token;
    private final boolean previousOwnerDied;
    private final ZkClient client;
    private final ZkLoss loss;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param what the object, for messages ("lock 'x' in space 's'")
     * @param owner the owning thread, or null for a process-owned acquisition
     * @param loss the hold's loss tracking (shared by its re-entries)
     * @param release what closing does (once)
     */
    ZkHeld(String what, Thread owner, long token, boolean previousOwnerDied, ZkClient client, ZkLoss loss,
           Runnable release) {
        this.what = what;
        this.owner = owner;
        this.token = token;
        this.previousOwnerDied = previousOwnerDied;
        this.client = client;
        this.loss = loss;
        this.release = release;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean previousOwnerDied() {
        return previousOwnerDied;
    }

    @Override
    public boolean isHeld() {
        if (closed.get() || loss.lost()) {
            return false;
        }
        boolean connected = client.stillConnected(); // may count the session as lost, and this hold with it
        return connected && !loss.lost();
    }

    @Override
    public Held onLost(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!closed.get()) {
            loss.onLost(() -> {
                if (!closed.get()) {
                    action.run();
                }
            });
        }
        return this;
    }

    @Override
    public void close() {
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(what + " is held by thread '" + owner.getName() + "', not by '"
                    + Thread.currentThread().getName() + "': only the thread that acquired it may release it");
        }
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return "ZkHeld[" + what + ", token " + token + (owner == null ? ", process-owned" : ", thread " + owner.getName())
                + (closed.get() ? ", closed]" : loss.lost() ? ", lost: " + loss.cause() + "]" : "]");
    }
}
