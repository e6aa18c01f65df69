package io.futexra.jca;

/**
 * A {@link io.futexra.NamedReadWriteLock} reached through a {@link LockConnection}: many readers
 * or one writer across every process on the host, writer-preferring. Both sides are acquired for
 * the process (released by any thread, by connection close, by container cleanup); neither is
 * reentrant through a connection, and a read hold does not downgrade from a write hold taken
 * through a connection.
 *
 * @param name the lock's name in its space
 * @param readLock the shared side
 * @param writeLock the exclusive side
 */
public record ConnectionReadWriteLock(String name, ConnectionLock readLock, ConnectionLock writeLock) {
}
