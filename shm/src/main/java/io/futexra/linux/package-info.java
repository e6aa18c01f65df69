/**
 * The only package that touches native code: the futex, {@code futex_waitv} and robust-list
 * system calls through JNA direct mapping, errno, and views of native memory.
 *
 * <p>Everything here is reached through {@link io.futexra.core.Kernel}; the algorithms in
 * {@code io.futexra.core} never see JNA. Syscall numbers per architecture live in one place,
 * {@link io.futexra.linux.SyscallNumbers}.
 */
package io.futexra.linux;
