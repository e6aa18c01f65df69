package io.futexra.jca;

import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's handle on a {@link FutexManagedConnection}. It knows where the acquisitions
 * made through it are (transaction-scoped ones excepted), so that closing it, or the container
 * cleaning up its managed connection, finds and releases whatever the application left held: the
 * exclusive ones in the slots of the handles it made ({@link #usesSlot}, once per handle), the
 * shared ones (read holds, permits) by a count ({@link #sharedHoldOpened}).
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
    /** The slots of the exclusive objects (locks, write locks) it made handles for. */
    private final Set<ExclusiveSlot> slots = ConcurrentHashMap.newKeySet();
    /** Shared acquisitions (read holds, permits) made through it and not yet released. */
    private final AtomicInteger sharedHeld = new AtomicInteger();
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
     * Releases what the application left held through this connection: the holds of its own in the
     * slots of its handles, and, only if its count of shared holds is not zero, its holds among the
     * adapter's shared ones ({@link AdapterRuntime#sharedHeldThrough}). The fast path writes nothing
     * here for an exclusive acquisition: its handle's slot was added when the handle was made,
     * before any acquisition through it; a shared hold is counted before it is registered. Both are
     * read after {@code closed} was set, while {@link #track} reads {@code closed} after the hold
     * was registered (all volatile, so in one order): either the scan finds the hold or its
     * acquirer sees the connection closed and releases it itself.
     */
    private void releaseLeftovers(String id, String message) {
        for (TrackedHold t : heldThrough()) {
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

    /** The holds made through it and not yet released: a scan, made at close. */
    private List<TrackedHold> heldThrough() {
        List<TrackedHold> found = new ArrayList<>();
        for (ExclusiveSlot slot : slots) {
            TrackedHold t = slot.current();
            if (t != null && t.connection() == this) {
                found.add(t);
            }
        }
        if (sharedHeld.get() != 0) {
            found.addAll(runtime.sharedHeldThrough(this));
        }
        return found;
    }

    /** A handle for the exclusive object of {@code slot} was made through it: acquisitions through it will be in that slot. */
    void usesSlot(ExclusiveSlot slot) {
        slots.add(slot);
    }

    void sharedHoldOpened() {
        sharedHeld.incrementAndGet();
    }

    void sharedHoldReleased() {
        sharedHeld.decrementAndGet();
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
        return "LockConnection[" + space.name() + ", " + heldThrough().size() + " held" + (closed ? ", closed" : "") + "]";
    }
}
