package io.futexra.testing;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;

/**
 * A {@link LockSpace} view that offers plain locks only, for running the lock contract against
 * locks that are not a backend's own (a JCA connection's, a deliberately broken one): everything
 * else says, with {@link UnsupportedOperationException}, that this view does not offer it.
 */
public abstract class LocksOnlySpace implements LockSpace {

    /** What this view is, for the refusals: "the CAS-less space", "a connection's view". */
    protected abstract String what();

    private UnsupportedOperationException refused(String offer) {
        return new UnsupportedOperationException(what() + " offers plain locks only, not " + offer);
    }

    @Override
    public NamedLock lock(String name, LockOptions options) {
        throw refused("lock options");
    }

    @Override
    public NamedReadWriteLock readWriteLock(String name) {
        throw refused("read/write locks");
    }

    @Override
    public NamedSemaphore semaphore(String name, int permits) {
        throw refused("semaphores");
    }

    @Override
    public NamedEvent event(String name, EventMode mode) {
        throw refused("events");
    }

    @Override
    public Dispatcher dispatcher(Dispatcher.Promoter promoter) {
        throw refused("dispatchers");
    }
}
