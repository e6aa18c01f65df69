package io.futexra.jca;

import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.ObjectInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's handle on a {@link FutexManagedConnection}. It counts the acquisitions made
 * through it (transaction-scoped ones excepted) so that closing it, or the container cleaning up
 * its managed connection, finds and releases whatever the application left held.
 *
 * <p>Public only for the container: applications use {@link LockConnection}. WildFly's cached
 * connection manager ({@code debug=true}) closes a connection an application leaked by calling
 * {@code handle.getClass().getMethod("close").invoke(handle)}, which a class that is not public
 * refuses ({@code IllegalAccessException}, logged as {@code IJ000102}, and the locks stayed held).
 * Its {@link #close()} then releases what the connection still holds, with a {@code FUTEXRA010}
 * warning naming each object. The constructor stays package-private.
 */
public final class LockConnectionImpl implements LockConnection {

    private final AdapterRuntime runtime;
    private final LockSpace space;
    private final LockPolicy policy;
    /** Acquisitions made through it and not yet released (transaction-scoped ones excepted). */
    private final AtomicInteger held = new AtomicInteger();
    private volatile FutexManagedConnection managed;
    private volatile boolean closed;

    LockConnectionImpl(FutexManagedConnection managed, AdapterRuntime runtime, LockSpace space, LockPolicy policy) {
        this.managed = managed;
        this.runtime = runtime;
        this.space = space;
        this.policy = policy;
    }

    @Override
    public String spaceName() {
        return space.name();
    }

    @Override
    public ConnectionLock lock(String name) {
        checkOpen();
        return ConnectionLockImpl.exclusive(this, lockWithPolicy(name));
    }

    /** New locks get the definition's default policy; existing ones keep theirs. */
    private NamedLock lockWithPolicy(String name) {
        if (policy == LockPolicy.GREEDY) {
            return space.lock(name);
        }
        try {
            return space.lock(name, LockOptions.defaults().withPolicy(policy));
        } catch (IllegalArgumentException createdOtherwise) {
            return space.lock(name); // exists with other options: keep them (or rethrow a bad name)
        }
    }

    @Override
    public ConnectionReadWriteLock readWriteLock(String name) {
        checkOpen();
        NamedReadWriteLock rw = space.readWriteLock(name);
        return new ConnectionReadWriteLockImpl(rw.name(), ConnectionLockImpl.readSide(this, rw.readLock()),
                ConnectionLockImpl.writeSide(this, rw.writeLock()));
    }

    @Override
    public ConnectionSemaphore semaphore(String name, int permits) {
        checkOpen();
        return new ConnectionSemaphoreImpl(this, space.semaphore(name, permits));
    }

    @Override
    public ConnectionEvent event(String name, EventMode mode) {
        checkOpen();
        return new ConnectionEventImpl(this, space.event(name, mode));
    }

    @Override
    public List<ObjectInfo> objects() {
        checkOpen();
        return space.objects();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // before the leftovers are looked for: see releaseLeftovers
        releaseLeftovers("FUTEXRA010", "connection closed while still holding ");
        FutexManagedConnection mc = managed;
        if (mc != null) {
            mc.handleClosed(this);
        }
    }

    /** Called by the managed connection's cleanup/destroy: the container takes the connection back. */
    void invalidate() {
        if (closed) {
            return;
        }
        closed = true;
        releaseLeftovers("FUTEXRA011", "container cleanup of a connection the application did not close released ");
    }

    /**
     * Releases what the application left held through this connection. The fast path keeps only a
     * count ({@link #holdOpened}), so leftovers are found by a scan of the adapter's holds
     * ({@link AdapterRuntime#heldThrough}), made only when the count is not zero. A hold is counted
     * before it is registered and the count read after {@code closed} was set, while
     * {@link #track} reads {@code closed} after registering: either the scan finds the hold or its
     * acquirer sees the connection closed and releases it itself.
     */
    private void releaseLeftovers(String id, String message) {
        if (held.get() == 0) {
            return; // the usual case: the application released everything
        }
        for (TrackedHold t : runtime.heldThrough(this)) {
            String what = t.describe();
            try {
                if (t.release()) {
                    JcaLog.warn(id, message + what + " on thread '" + Thread.currentThread().getName() + "'");
                }
            } catch (RuntimeException e) {
                JcaLog.severe("FUTEXRA021", "could not release " + what, e);
            }
        }
    }

    /** A hold made through this connection ({@code hold}, just registered): released at once if it closed meanwhile. */
    TrackedHold track(TrackedHold hold) {
        if (closed) { // closed by another thread meanwhile: see releaseLeftovers
            hold.release();
            checkOpen();
        }
        return hold;
    }

    void holdOpened() {
        held.incrementAndGet();
    }

    void holdReleased() {
        held.decrementAndGet();
    }

    void moveTo(FutexManagedConnection mc) {
        managed = mc;
    }

    AdapterRuntime runtime() {
        return runtime;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this futex-ra LockConnection is closed: get a new one from the LockFactory");
        }
        runtime.checkRunning();
    }

    @Override
    public String toString() {
        return "LockConnection[" + space.name() + ", " + held.get() + " held" + (closed ? ", closed" : "") + "]";
    }
}
