package io.futexra.cli;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.time.Duration;

/**
 * {@code run --lock NAME}: a lock, or one side of a read/write lock ({@code --read},
 * {@code --write}, or a plain {@code --lock} on a name that already is a read/write lock).
 */
final class LockAcquirer implements Acquirer {

    private final LockSpace space;
    private final String name;
    private final String side;
    private final NamedLock lock;

    private LockAcquirer(LockSpace space, String name, String side, NamedLock lock) {
        this.space = space;
        this.name = name;
        this.side = side;
        this.lock = lock;
    }

    /** The lock {@code name}; the write side if {@code name} already is a read/write lock. */
    static LockAcquirer exclusive(LockSpace space, String name) {
        NamedLock lock;
        try {
            lock = space.lock(name);
        } catch (IllegalArgumentException e) {
            if (NamedObjects.kindOf(space, name) != ObjectKind.READ_WRITE_LOCK) {
                throw CliException.usage(e.getMessage());
            }
            return readWrite(space, name, false);
        } catch (RuntimeException e) {
            throw NamedObjects.refused(e);
        }
        return new LockAcquirer(space, name, "lock", lock);
    }

    /** The read ({@code read}) or write side of the read/write lock {@code name}. */
    static LockAcquirer readWrite(LockSpace space, String name, boolean read) {
        try {
            NamedLock lock = read ? space.readWriteLock(name).readLock() : space.readWriteLock(name).writeLock();
            return new LockAcquirer(space, name, read ? "read lock" : "write lock", lock);
        } catch (RuntimeException e) {
            throw NamedObjects.refused(e);
        }
    }

    @Override
    public Held acquire(Duration timeout) {
        return timeout == null ? lock.acquire() : lock.acquire(timeout);
    }

    @Override
    public String describe() {
        return side + " '" + Text.printable(name) + "' in space '" + space.name() + "'";
    }

    @Override
    public String holders() {
        ObjectInfo o = NamedObjects.info(space, name);
        if (o == null) {
            return "";
        }
        if (o.isHeld()) {
            return " (held" + (o.kind() == ObjectKind.READ_WRITE_LOCK ? " for writing" : "") + " by pid "
                    + o.holderPid() + ", tid " + o.holderTid()
                    + (o.holderThread() != null ? " '" + Text.printable(o.holderThread()) + "'" : "") + ")";
        }
        return o.readers() > 0 ? " (" + o.readers() + " reader" + (o.readers() == 1 ? "" : "s") + " inside)" : "";
    }
}
