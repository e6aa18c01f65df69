/**
 * The algorithms and the shared-memory layout behind {@link io.futexra}: pure Java, no
 * {@code jakarta.*} and no JNA. The kernel is reached only through {@link io.futexra.core.Kernel}.
 *
 * <p>Start with {@link io.futexra.core.LockSpaceLayout} (the file), then
 * {@link io.futexra.core.RobustMutex} (the lock word protocol) and its robust list.
 */
package io.futexra.core;
