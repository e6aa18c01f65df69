/**
 * futex-ra's public API: named, robust, cross-process synchronization objects on one Linux host.
 *
 * <p>Open a {@link io.futexra.LockSpace} by name; take {@link io.futexra.NamedLock}s from it by
 * name; every acquisition returns a {@link io.futexra.Held} that releases when closed. Every
 * process on the host that opens the same space (JVMs, the {@code futex-ra} command, the resource
 * adapter in an application server) sees the same objects.
 *
 * <p>This package names no implementation: a space is opened by a URI whose scheme chooses the
 * backend ({@link io.futexra.LockSpace#open(java.net.URI, io.futexra.SpaceOptions)}), found through
 * {@link io.futexra.spi.LockSpaceProvider}. What only shared memory has is marked so where it is
 * declared (the default directory and the {@code Path} methods, {@code SpaceOptions}, spin limits,
 * {@code NamedSemaphore.MAX_PERMITS}, holder thread ids in {@code ObjectInfo}). The resource
 * adapter, the CLI and JMX use only this package and {@code io.futexra.spi}; {@code ArchitectureTest}
 * checks it on the bytecode.
 */
package io.futexra;
