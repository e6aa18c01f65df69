package io.futexra.cli;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedSemaphore;
import io.futexra.ObjectInfo;
import java.time.Duration;

/** {@code sem NAME --permits N run}: one permit of a counting semaphore. */
final class SemaphoreAcquirer implements Acquirer {

    private final LockSpace space;
    private final String name;
    private final NamedSemaphore semaphore;

    SemaphoreAcquirer(LockSpace space, String name, int permits) {
        this.space = space;
        this.name = name;
        try {
            this.semaphore = space.semaphore(name, permits);
        } catch (RuntimeException e) {
            throw NamedObjects.refused(e);
        }
    }

    @Override
    public Held acquire(Duration timeout) {
        return timeout == null ? semaphore.acquire() : semaphore.acquire(timeout);
    }

    @Override
    public String describe() {
        return "a permit of semaphore '" + Text.printable(name) + "' in space '" + space.name() + "'";
    }

    @Override
    public String holders() {
        ObjectInfo o = NamedObjects.info(space, name);
        return o == null ? "" : " (" + o.readers() + " of " + o.permits() + " permits in use)";
    }
}
