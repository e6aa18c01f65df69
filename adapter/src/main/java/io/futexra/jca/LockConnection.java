package io.futexra.jca;

import io.futexra.EventMode;
import io.futexra.ObjectInfo;
import java.util.List;

/**
 * A connection to one lock space, handed out by {@link LockFactory#getConnection()}: the same named
 * objects a {@link io.futexra.LockSpace} offers, seen by every process on the host.
 *
 * <p><b>Ownership.</b> Every acquisition made through a connection is owned by the server process
 * rather than by the acquiring thread: any thread may close its {@link io.futexra.Held}, and the
 * kernel releases it if the server dies. Such acquisitions are <em>not reentrant</em>: acquiring a
 * lock this server already holds through a connection waits (a lock the calling thread itself
 * holds through a connection is refused at once with {@link IllegalStateException}, since waiting
 * could only time out).
 *
 * <p><b>Closing.</b> {@link #close()} releases every acquisition still held through this connection
 * and logs a warning ({@code FUTEXRA010}) naming each object; so does the container when it cleans
 * up a connection the application leaked ({@code FUTEXRA011}). A lock never stays held by a pooled
 * connection. Transaction-scoped acquisitions ({@link ConnectionLock#acquireForTransaction}) are not
 * released by close: they end with their transaction. Closing twice is harmless; using a closed
 * connection throws {@link IllegalStateException}.
 *
 * <p>A connection may be used by several threads at once, but is usually used by one, inside one
 * method, in try-with-resources.
 */
public interface LockConnection extends AutoCloseable {

    /** {@return the space this connection uses} */
    String spaceName();

    /**
     * The lock called {@code name}, created in the space if it does not exist yet (with the
     * connection definition's default policy; an existing lock keeps its own).
     *
     * @param name the lock's name
     * @return the lock (a handle: nothing is acquired)
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the connection is closed
     */
    ConnectionLock lock(String name);

    /**
     * The reader/writer lock called {@code name}, created if it does not exist yet.
     *
     * @param name the lock's name
     * @return both sides of the lock (handles: nothing is acquired)
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the connection is closed
     */
    ConnectionReadWriteLock readWriteLock(String name);

    /**
     * The semaphore called {@code name}, created with {@code permits} (1 to 64) if it does not exist yet.
     *
     * @param name the semaphore's name
     * @param permits its permits, 1 to 64
     * @return the semaphore (a handle: nothing is acquired)
     * @throws IllegalArgumentException if it exists with another permit count, or an argument is invalid
     * @throws IllegalStateException if the connection is closed
     */
    ConnectionSemaphore semaphore(String name, int permits);

    /**
     * The event called {@code name}, created with {@code mode} if it does not exist yet. Events have
     * no owner, so nothing about them is released on close; a thread waiting on one is woken by
     * adapter stop.
     *
     * @param name the event's name
     * @param mode manual or auto reset
     * @return the event
     * @throws IllegalArgumentException if it exists with the other mode, or the name is invalid
     * @throws IllegalStateException if the connection is closed
     */
    ConnectionEvent event(String name, EventMode mode);

    /** {@return every object in the space (holder, waiters, counters), as {@link io.futexra.LockSpace#objects()}} */
    List<ObjectInfo> objects();

    /** Releases what is still held through this connection (with a warning) and returns it to the pool. */
    @Override
    void close();
}
