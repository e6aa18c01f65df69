/**
 * The outbound resource adapter: {@code futex-ra.rar} binds a {@link io.futexra.jca.LockFactory}
 * (by default at {@code java:/futex-ra/LockFactory}); applications take a
 * {@link io.futexra.jca.LockConnection} from it and use the same named objects as a
 * {@link io.futexra.LockSpace}, shared with every process on the host.
 *
 * <p>Who owns what. Every acquisition made through a connection is <em>process-owned</em>: any
 * thread of the server may release it, which is what lets connection close, the container's
 * cleanup of a leaked connection, the end of a JTA transaction (possibly on the transaction
 * reaper's thread) and adapter stop release it. The kernel still releases it if the server
 * process dies. Process-owned acquisitions are not reentrant: a second acquisition of the same
 * lock through any connection of this server waits, like a second transaction on a row lock.
 *
 * <p>Roles: {@link io.futexra.jca.FutexResourceAdapter} (lifecycle, kept small),
 * {@link io.futexra.jca.FutexManagedConnectionFactory} (one per connection definition: its
 * directory, space, file mode and policy), {@link io.futexra.jca.FutexManagedConnection} (the
 * pooled connection), {@code AdapterRuntime} (every space, acquisition and waiter the adapter owns,
 * so that stop can end them), {@code TransactionScope} (locks held until a transaction ends).
 *
 * <p>Only this package imports {@code jakarta.*}; the rest of the jar runs without a server.
 */
package io.futexra.jca;
