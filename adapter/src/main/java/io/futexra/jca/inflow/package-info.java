/**
 * The inbound resource adapter: message-driven beans woken by named events and told of lock
 * holders' deaths, from any process on the host.
 *
 * <p>An MDB implements {@link io.futexra.jca.inflow.FutexEventListener} (events) or
 * {@link io.futexra.jca.inflow.OwnerDeathListener} (owner death) and is configured by the
 * properties of {@link io.futexra.jca.inflow.FutexActivationSpec}. Each activation has its own
 * {@link io.futexra.Dispatcher} (shared memory: leader/followers): one leader thread of the server's {@code WorkManager}
 * waits with one {@code futex_waitv}, hands the leader role to another {@code WorkManager} thread,
 * and delivers to an endpoint ({@code createEndpoint} → listener method → {@code release}).
 */
package io.futexra.jca.inflow;
