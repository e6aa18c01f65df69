/**
 * Spring Integration on futex-ra: {@link io.futexra.spring.FutexLockRegistry} is a
 * {@code LockRegistry} whose locks are named futex-ra locks, so {@code obtain(key)} locks across
 * every process on the host, and {@code LockRegistryLeaderInitiator} elects one leader among them.
 */
package io.futexra.spring;
