package io.futexra.jca;

import io.futexra.NamedReadWriteLock;

/**
 * A {@link NamedReadWriteLock} reached through a {@link LockConnection}: many readers or one
 * writer across every process on the host, writer-preferring. Both sides are {@link ConnectionLock}s,
 * acquired for the process (released by any thread, by connection close, by container cleanup);
 * neither is reentrant through a connection, and a read hold does not downgrade from a write hold
 * taken through a connection.
 */
public interface ConnectionReadWriteLock extends NamedReadWriteLock {

    /** {@return the shared side, acquired through the connection} */
    @Override
    ConnectionLock readLock();

    /** {@return the exclusive side, acquired through the connection} */
    @Override
    ConnectionLock writeLock();
}
