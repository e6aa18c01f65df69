/**
 * futex-ra's public API: named, robust, cross-process synchronization objects on one Linux host.
 *
 * <p>Open a {@link io.futexra.LockSpace} by name; take {@link io.futexra.NamedLock}s from it by
 * name; every acquisition returns a {@link io.futexra.Held} that releases when closed. Every
 * process on the host that opens the same space (JVMs, the {@code futex-ra} command, the resource
 * adapter in an application server) sees the same objects.
 *
 * <p>This package makes no assumption about shared memory, so that other backends can implement
 * it; {@link io.futexra.LockSpace#open(java.nio.file.Path, String)} is where the shared-memory
 * implementation is chosen.
 */
package io.futexra;
