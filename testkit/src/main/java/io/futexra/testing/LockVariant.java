package io.futexra.testing;

import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import java.time.Duration;
import java.util.Optional;

/**
 * Every exclusive hold the shared-memory backend offers, named so that a test and a child JVM
 * ({@code ChildMain contracthammer / contracthold}) take the same kind of hold on the same name.
 */
public enum LockVariant {
    /** {@code space.lock(name)}: greedy, spinning 100 times. */
    GREEDY,
    /** {@code LockOptions.fair()}: arrival order. */
    FAIR,
    /** Greedy with {@code LockOptions.ADAPTIVE} spinning. */
    ADAPTIVE,
    /** The write side of a read/write lock. */
    WRITE_SIDE,
    /** {@code acquireForProcess}: owned by the process (its keeper thread), not the calling thread. */
    PROCESS_OWNED;

    /** Acquires {@code name}, waiting up to {@code timeout}. */
    public Held acquire(LockSpace space, String name, Duration timeout) {
        return acquirer(space, name).acquire(timeout);
    }

    /** Acquisitions of one lock, its handle looked up once. */
    public interface Acquirer {
        /** Acquires the lock, waiting up to {@code timeout}. */
        Held acquire(Duration timeout);
    }

    /**
     * {@code name}'s handle, looked up once: acquisitions through it skip the space's lookup, so
     * that contenders meet on the word itself as often as a program that keeps its handle.
     */
    public Acquirer acquirer(LockSpace space, String name) {
        NamedLock lock = handle(space, name);
        return this == PROCESS_OWNED ? lock::acquireForProcess : lock::acquire;
    }

    /** Acquires {@code name} if free now. */
    public Optional<Held> tryAcquire(LockSpace space, String name) {
        return handle(space, name).tryAcquire();
    }

    /** The handle this variant acquires through. */
    private NamedLock handle(LockSpace space, String name) {
        return switch (this) {
            case GREEDY, PROCESS_OWNED -> space.lock(name);
            case FAIR -> space.lock(name, LockOptions.fair());
            case ADAPTIVE -> space.lock(name, LockOptions.defaults().withSpinLimit(LockOptions.ADAPTIVE));
            case WRITE_SIDE -> readWrite(space, name).writeLock();
        };
    }

    /** Whether a hold belongs to the acquiring thread (so another thread may not release it). */
    public boolean threadOwned() {
        return this != PROCESS_OWNED;
    }

    private static NamedReadWriteLock readWrite(LockSpace space, String name) {
        return space.readWriteLock(name);
    }
}
