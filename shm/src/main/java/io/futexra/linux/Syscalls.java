package io.futexra.linux;

import com.sun.jna.Native;

/**
 * JNA direct mapping of glibc's {@code syscall(2)} wrapper.
 *
 * <p>Direct mapping ({@link Native#register}) with primitive {@code long} arguments: interface
 * mapping costs several times more per call. glibc's {@code syscall} only moves
 * registers, so the fixed seven-argument prototype is ABI-safe even though C declares it variadic.
 * Pointers travel as {@code long} addresses.
 */
final class Syscalls {

    /** Whether the native methods are bound: guarded by the class's monitor. */
    private static boolean bound;

    private Syscalls() {
    }

    /** Binds the native methods below to the C library ({@link CLibraryLookup}), unless they are bound already. */
    static synchronized void bind() {
        if (!bound) {
            Native.register(Syscalls.class, CLibraryLookup.cLibrary());
            bound = true;
        }
    }

    /**
     * Undoes {@link #bind()} and drops what JNA keeps about this class, so that JNA (when it
     * outlives this class, as a server-wide module does) no longer reaches it. {@code register}
     * leaves two strong references to this class in JNA, found with a heap dump of WildFly after
     * redeploys: a JNI global reference to each bound {@code Method} (released by
     * {@link Native#unregister(Class)}), and the entry for this class in {@code Native}'s options
     * cache, a {@code WeakHashMap} whose value names this class (option
     * {@code "enclosing-library"}), so that its weak key never clears. {@code unregister} leaves
     * that entry: it is emptied through {@link Native#getLibraryOptions(Class)}, which returns
     * the cached map itself. No native method below may be called afterwards, until {@code bind}.
     *
     * @return whether they were bound (if not, JNA was not touched)
     */
    static synchronized boolean unbind() {
        if (!bound) {
            return false;
        }
        bound = false;
        Native.unregister(Syscalls.class);
        Native.getLibraryOptions(Syscalls.class).clear();
        return true;
    }

    /**
     * {@code long syscall(long number, ...)}: invokes system call {@code number}.
     *
     * @return the call's result, or -1 with errno set ({@link Native#getLastError()})
     */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /**
     * {@code int open(const char *path, int flags)}: opens a file (no {@code O_CREAT}, so no mode).
     * The path is NUL-terminated bytes in the JVM's file-name encoding, as Java's own file I/O uses.
     *
     * @return a file descriptor, or -1 with errno set ({@code ENOENT}, {@code EACCES}, ...)
     */
    static native int open(byte[] path, int flags);

    /**
     * {@code int flock(int fd, int operation)}: an advisory lock on the open file description
     * ({@code LOCK_SH 1}, {@code LOCK_EX 2}, {@code LOCK_NB 4}, {@code LOCK_UN 8}); unlike
     * {@code fcntl} locks, closing another descriptor of the same file does not drop it.
     *
     * @return 0, or -1 with errno set ({@code EWOULDBLOCK} when {@code LOCK_NB} would wait)
     */
    static native int flock(int fd, int operation);

    /** {@code int close(int fd)}: 0, or -1 with errno set. */
    static native int close(int fd);
}
