/**
 * The algorithms and the shared-memory layout behind {@link io.futexra}: pure Java, no
 * {@code jakarta.*} and no JNA. The kernel is reached only through {@link io.futexra.core.Kernel}.
 *
 * <p>Start with {@link io.futexra.core.LockSpaceLayout} (where the file's parts lie) and the
 * descriptors it names, one per part and per kind of object ({@link io.futexra.core.HeaderDescriptor},
 * {@link io.futexra.core.SlotDescriptor}, {@link io.futexra.core.LockDescriptor} ...), then
 * {@link io.futexra.core.RobustMutex} (the lock word protocol) and {@link io.futexra.core.Participants}.
 */
package io.futexra.core;
