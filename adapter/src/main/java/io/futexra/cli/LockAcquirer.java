package io.futexra.cli;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import java.time.Duration;

/** {@code run --lock NAME}: the exclusive lock. */
final class LockAcquirer implements Acquirer {

    private final LockSpace space;
    private final String name;
    private final NamedLock lock;

    LockAcquirer(LockSpace space, String name) {
        this.space = space;
        this.name = name;
        this.lock = NamedObjects.create(space, name);
    }

    @Override
    public Held acquire(Duration timeout) {
        return timeout == null ? lock.acquire() : lock.acquire(timeout);
    }

    @Override
    public String describe() {
        return "lock '" + Text.printable(name) + "' in space '" + space.name() + "'";
    }

    @Override
    public String holders() {
        for (ObjectInfo o : space.objects()) {
            if (o.name().equals(name) && o.isHeld()) {
                return " (held by pid " + o.holderPid() + ", tid " + o.holderTid()
                        + (o.holderThread() != null ? " '" + Text.printable(o.holderThread()) + "'" : "") + ")";
            }
        }
        return "";
    }
}
