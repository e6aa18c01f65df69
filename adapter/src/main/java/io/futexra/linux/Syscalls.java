package io.futexra.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * JNA direct mapping of glibc's {@code syscall(2)} wrapper.
 *
 * <p>Direct mapping ({@link Native#register}) with primitive {@code long} arguments costs about
 * 360 ns a call here; interface mapping costs four times that. glibc's {@code syscall} only moves
 * registers, so the fixed seven-argument prototype is ABI-safe even though C declares it variadic.
 * Pointers travel as {@code long} addresses.
 */
final class Syscalls {

    static {
        Native.register(Syscalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Syscalls() {
    }

    /**
     * {@code long syscall(long number, ...)}: invokes system call {@code number}.
     *
     * @return the call's result, or -1 with errno set ({@link Native#getLastError()})
     */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /** Forces class initialisation, and so library loading, now rather than on first use. */
    static void load() {
        // the static initialiser has run by the time this returns
    }
}
