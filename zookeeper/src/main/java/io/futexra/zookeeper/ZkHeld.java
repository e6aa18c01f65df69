package io.futexra.zookeeper;

import io.futexra.Held;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One acquisition in a ZooKeeper space: thread-owned (only {@code owner} may close it) or
 * process-owned ({@code owner} null: any thread, once).
 *
 * <p>{@link #isHeld()} is false once closed, while the client's connection is {@code SUSPENDED}
 * (the ensemble may be giving the lock away as the session times out; it is true again on
 * {@code RECONNECTED} in the same session, since the lock node survived), and for good once the
 * session was {@code LOST} after acquisition (the lock node died with it).
 */
final class ZkHeld implements Held {

    private final String what;
    private final Thread owner;
    private final long token;
    private final boolean previousOwnerDied;
    private final ZkClient client;
    private final long lossesAtAcquire;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param what the object, for messages ("lock 'x' in space 's'")
     * @param owner the owning thread, or null for a process-owned acquisition
     * @param lossesAtAcquire {@link ZkClient#losses()} when the lock node was created
     * @param release what closing does (once)
     */
    ZkHeld(String what, Thread owner, long token, boolean previousOwnerDied, ZkClient client, long lossesAtAcquire,
           Runnable release) {
        this.what = what;
        this.owner = owner;
        this.token = token;
        this.previousOwnerDied = previousOwnerDied;
        this.client = client;
        this.lossesAtAcquire = lossesAtAcquire;
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
        return !closed.get() && client.connected() && client.losses() == lossesAtAcquire;
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
                + (closed.get() ? ", closed]" : "]");
    }
}
