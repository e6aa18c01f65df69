package io.futexra.jca;

/**
 * {@link ConnectionReadWriteLock}: the two sides of the space's read/write lock, each a
 * {@link ConnectionLockImpl} of the same connection.
 *
 * @param name the lock's name in its space
 * @param readLock the shared side
 * @param writeLock the exclusive side
 */
record ConnectionReadWriteLockImpl(String name, ConnectionLock readLock, ConnectionLock writeLock)
        implements ConnectionReadWriteLock {
}
