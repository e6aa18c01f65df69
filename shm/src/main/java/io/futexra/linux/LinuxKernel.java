package io.futexra.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.futexra.core.FileStatus;
import io.futexra.core.Kernel;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Kernel} on Linux through JNA direct mapping of {@code syscall(2)}.
 *
 * <p>Loading JNA costs about 160 ms, so {@link #load()} does it once, eagerly, when the first
 * space is opened rather than inside the first contended wait.
 *
 * <p>The loading runs on a short-lived thread of its own. JNA's first registration leaves a value of
 * one of JNA's classes in the registering thread's {@code ThreadLocal} map ({@code Structure}'s
 * "busy" set, made when {@code Structure.FFIType} initialises) and never removes it. In a server
 * that thread is a pooled one (an MSC or request thread) that outlives the deployment, and that
 * one value would keep every undeployed RAR's class loader — its classes, its JNA copy, and that
 * copy's native library — loaded for good (the path: thread, threadLocals, StructureSet, its
 * class, the RAR's class loader). A thread of our own ends, and its map with it.
 *
 * <p>That thread has no context class loader. A JVM's first JNA load runs {@code /sbin/ldconfig -p}
 * ({@code NativeLibrary}'s search path, then kept in the system property
 * {@code jna.platform.library.path}), which makes the JDK start its "process reaper" thread, and JNA
 * starts its cleaner thread; a new thread inherits its creator's context class loader. On Java 17 the
 * reaper, a pooled thread that lives on while the server keeps starting processes (60 s idle), held
 * the first deployed RAR's class loader that way (heap dump after five redeploys on WildFly 39:
 * thread, contextClassLoader, the RAR's class loader).
 */
public final class LinuxKernel implements Kernel {

    private static final long FUTEX_WAKE = 1;
    private static final long FUTEX_WAIT_BITSET = 9;
    private static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;
    private static final long CLOCK_MONOTONIC = 1;
    private static final long ROBUST_LIST_HEAD_LENGTH = 24;
    private static final int EINVAL = 22;
    /** open(2) flags, the same on x86_64 and aarch64 (O_DIRECTORY, O_NOFOLLOW: {@link SyscallNumbers}). */
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_PATH = 010000000;
    private static final int O_NONBLOCK = 04000;
    private static final int O_NOCTTY = 0400;
    /** O_TMPFILE is this bit together with O_DIRECTORY. */
    private static final int O_TMPFILE_BIT = 020000000;
    private static final int PRIVATE_MODE = 0600;
    private static final long AT_FDCWD = -100;
    private static final long AT_SYMLINK_FOLLOW = 0x400;
    private static final long AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long AT_EMPTY_PATH = 0x1000;
    /** statx: type, mode, nlink, uid, gid, times, ino, size, blocks. */
    private static final long STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_LENGTH = 256;
    /** Error numbers O_TMPFILE fails with where the file system lacks it. */
    private static final int EISDIR = 21;
    private static final int PAGE = 4096;
    /** mmap(2) protections and flags, the same on x86_64 and aarch64. */
    private static final long PROT_READ = 1;
    private static final long PROT_READ_WRITE = 3;
    private static final long MAP_SHARED = 1;
    private static final long MAP_PRIVATE = 2;
    private static final long MAP_FIXED = 0x10;
    private static final long MAP_ANONYMOUS = 0x20;

    private static volatile LinuxKernel instance;

    private final SyscallNumbers nr;
    private final boolean futexWaitv;

    private LinuxKernel(SyscallNumbers nr) {
        this.nr = nr;
        Syscalls.bind();
        // futex_waitv with no entries: EINVAL where the call exists, ENOSYS where it does not
        this.futexWaitv = call(nr.futexWaitv(), 0, 0, 0, 0, CLOCK_MONOTONIC, 0) == -EINVAL;
    }

    /** The process-wide kernel binding, loading JNA on first use. */
    public static LinuxKernel load() {
        LinuxKernel k = instance;
        if (k == null) {
            synchronized (LinuxKernel.class) {
                k = instance;
                if (k == null) {
                    if (!"Linux".equals(System.getProperty("os.name"))) {
                        throw new UnsupportedOperationException("futex-ra needs Linux futexes; this JVM runs on "
                                + System.getProperty("os.name"));
                    }
                    k = loadOnOwnThread(SyscallNumbers.forCurrentArchitecture());
                    instance = k;
                }
            }
        }
        return k;
    }

    /**
     * Unbinds the native methods and forgets the process-wide binding (a later {@link #load()}
     * makes a new one): called when the deployment that loaded these classes ends, once nothing
     * uses the binding any more.
     *
     * @return whether there was a binding (if not, JNA was not touched)
     */
    static boolean unload() {
        synchronized (LinuxKernel.class) {
            instance = null;
            return Syscalls.unbind();
        }
    }

    /** Makes the binding on a thread that ends right after (see the class comment), waiting for it. */
    private static LinuxKernel loadOnOwnThread(SyscallNumbers nr) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                outcome.set(new LinuxKernel(nr));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "futex-ra-jna-load");
        loader.setDaemon(true);
        loader.setContextClassLoader(null); // nothing JNA starts from here may inherit the caller's loader
        loader.start();
        boolean interrupted = false;
        while (loader.isAlive()) {
            try {
                loader.join();
            } catch (InterruptedException e) {
                interrupted = true; // loading takes a moment; finish it, then restore the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object result = outcome.get();
        if (result instanceof LinuxKernel kernel) {
            return kernel;
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        if (result instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("could not load the native binding (JNA)", (Throwable) result);
    }

    @Override
    public int gettid() {
        return (int) Syscalls.syscall(nr.gettid(), 0, 0, 0, 0, 0, 0);
    }

    @Override
    public int getpid() {
        return (int) Syscalls.syscall(nr.getpid(), 0, 0, 0, 0, 0, 0);
    }

    @Override
    public long robustListHead(long expectedFutexOffset) {
        // get_robust_list(0, struct robust_list_head **head, size_t *len)
        try (Memory out = new Memory(16)) {
            long rc = call(nr.getRobustList(), 0, Pointer.nativeValue(out), Pointer.nativeValue(out) + 8, 0, 0, 0);
            long head = out.getLong(0);
            if (rc != 0 || head == 0 || out.getLong(8) != ROBUST_LIST_HEAD_LENGTH) {
                return 0;
            }
            // struct robust_list_head { next; long futex_offset; list_op_pending; }
            return new Pointer(head).getLong(8) == expectedFutexOffset ? head : 0;
        }
    }

    @Override
    public int setRobustListHead(long head) {
        return (int) call(nr.setRobustList(), head, ROBUST_LIST_HEAD_LENGTH, 0, 0, 0, 0);
    }

    @Override
    public long addressOf(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public ByteBuffer view(long address, int length) {
        return new Pointer(address).getByteBuffer(0, length);
    }

    @Override
    public long mapPageWithPrivateTail(int fd, long fileOffset) {
        long pages = call(nr.mmap(), 0, 2 * PAGE, PROT_READ_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pages < 0) {
            return pages;
        }
        long shared = call(nr.mmap(), pages, PAGE, PROT_READ_WRITE, MAP_SHARED | MAP_FIXED, fd, fileOffset);
        if (shared < 0) {
            call(nr.munmap(), pages, 2 * PAGE, 0, 0, 0, 0);
            return shared;
        }
        return pages;
    }

    @Override
    public long mapReadOnly(int fd, long length) {
        return call(nr.mmap(), 0, length, PROT_READ, MAP_SHARED, fd, 0);
    }

    @Override
    public long read(int fd, long address, int length, long offset) {
        return call(nr.pread64(), fd, address, length, offset, 0, 0);
    }

    @Override
    public int unmap(long address, long length) {
        return (int) call(nr.munmap(), address, length, 0, 0, 0, 0);
    }

    @Override
    public void putLong(long address, long value) {
        new Pointer(address).setLong(0, value);
    }

    @Override
    public int futexWait(long address, int expected, long timespecAddress) {
        return (int) call(nr.futex(), address, FUTEX_WAIT_BITSET, expected & 0xffff_ffffL, timespecAddress, 0,
                FUTEX_BITSET_MATCH_ANY);
    }

    @Override
    public int futexWake(long address, int count) {
        return (int) call(nr.futex(), address, FUTEX_WAKE, count, 0, 0, 0);
    }

    @Override
    public int futexWaitv(long waitvAddress, int count, long timespecAddress) {
        return (int) call(nr.futexWaitv(), waitvAddress, count, 0, timespecAddress, CLOCK_MONOTONIC, 0);
    }


    @Override
    public int flock(int fd, int operation) {
        return Syscalls.flock(fd, operation) == 0 ? 0 : -Native.getLastError();
    }

    /** fcntl commands and lock types (the same on x86_64 and aarch64). */
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    /** struct flock on 64-bit Linux: l_type (short) @0, l_whence (short) @2, l_start @8, l_len @16, l_pid @24. */
    private static final int FLOCK_LENGTH = 32;

    @Override
    public int duplicate(int fd) {
        return (int) call(nr.fcntl(), fd, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
    }

    @Override
    public int lockByteShared(int fd, long offset) {
        try (Memory lock = byteLock(F_RDLCK, offset)) {
            int rc = (int) call(nr.fcntl(), fd, F_OFD_SETLK, Pointer.nativeValue(lock), 0, 0, 0);
            return rc < 0 ? rc : 0;
        }
    }

    @Override
    public int byteLockedByOthers(int fd, long offset) {
        try (Memory lock = byteLock(F_WRLCK, offset)) {
            int rc = (int) call(nr.fcntl(), fd, F_OFD_GETLK, Pointer.nativeValue(lock), 0, 0, 0);
            if (rc < 0) {
                return rc;
            }
            return lock.getShort(0) == F_UNLCK ? 0 : 1;
        }
    }

    private static Memory byteLock(short type, long offset) {
        Memory lock = new Memory(FLOCK_LENGTH);
        lock.clear();
        lock.setShort(0, type);
        lock.setShort(2, (short) 0); // SEEK_SET
        lock.setLong(8, offset);
        lock.setLong(16, 1);
        return lock;
    }

    @Override
    public int close(int fd) {
        return Syscalls.close(fd) == 0 ? 0 : -Native.getLastError();
    }

    @Override
    public int geteuid() {
        return (int) Syscalls.syscall(nr.geteuid(), 0, 0, 0, 0, 0, 0);
    }

    @Override
    public int openDirectory(String path) {
        return openAt(AT_FDCWD, path, O_RDONLY | nr.oDirectory() | nr.oNoFollow() | O_CLOEXEC, 0);
    }

    @Override
    public int openPath(int dirFd, String name) {
        return openAt(dirFd, name, O_PATH | nr.oNoFollow() | O_CLOEXEC, 0);
    }

    @Override
    public int reopenReadWrite(int fd) {
        return open(procFd(fd));
    }

    @Override
    public long createFile(int dirFd, String fallbackName) {
        int fd = openAt(dirFd, ".", O_TMPFILE_BIT | nr.oDirectory() | O_RDWR | O_CLOEXEC, PRIVATE_MODE);
        if (fd != -EOPNOTSUPP && fd != -EISDIR && fd != -EINVAL) {
            // (kernels before 3.11 fail O_TMPFILE with EISDIR or EINVAL, file systems without it EOPNOTSUPP)
            return fd; // a nameless file, or an error that the fallback would meet too
        }
        // no O_TMPFILE here (an old kernel, or a file system without it): a new name, never followed
        fd = openAt(dirFd, fallbackName, O_CREAT | O_EXCL | nr.oNoFollow() | O_RDWR | O_CLOEXEC, PRIVATE_MODE);
        return fd < 0 ? fd : fd | 1L << 32;
    }

    @Override
    public int openReadOnly(int dirFd, String name) {
        return openAt(dirFd, name, O_RDONLY | nr.oNoFollow() | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
    }

    @Override
    public int allocateRange(int fd, long offset, long length) {
        int rc = (int) call(nr.fallocate(), fd, 0, offset, length, 0, 0);
        if (rc != -EOPNOTSUPP) {
            return rc;
        }
        byte[] zero = new byte[1];
        for (long at = offset; at < offset + length; at += PAGE) {
            int written = writeFully(fd, zero, at);
            if (written != 0) {
                return written;
            }
        }
        return writeFully(fd, zero, offset + length - 1);
    }

    @Override
    public int fchmod(int fd, int mode) {
        return (int) call(nr.fchmod(), fd, mode, 0, 0, 0, 0);
    }

    @Override
    public int allocate(int fd, long length) {
        int rc = (int) call(nr.fallocate(), fd, 0, 0, length, 0, 0);
        if (rc != -EOPNOTSUPP) {
            return rc;
        }
        // no fallocate on this file system: write a zero into every page, as glibc's posix_fallocate does
        // (only ever on a new, empty file: this overwrites)
        byte[] zero = new byte[1];
        for (long offset = 0; offset < length; offset += PAGE) {
            int written = writeFully(fd, zero, offset);
            if (written != 0) {
                return written;
            }
        }
        return writeFully(fd, zero, length - 1);
    }

    @Override
    public int writeFully(int fd, byte[] bytes, long offset) {
        try (Memory buffer = new Memory(bytes.length)) {
            buffer.write(0, bytes, 0, bytes.length);
            long done = 0;
            while (done < bytes.length) {
                long rc = call(nr.pwrite64(), fd, Pointer.nativeValue(buffer) + done, bytes.length - done,
                        offset + done, 0, 0);
                if (rc < 0) {
                    return (int) rc;
                }
                done += rc;
            }
            return 0;
        }
    }

    @Override
    public int linkAt(int fd, int dirFd, String name) {
        try (Memory from = cString(procFd(fd)); Memory to = cString(name)) {
            return (int) call(nr.linkat(), AT_FDCWD, Pointer.nativeValue(from), dirFd, Pointer.nativeValue(to),
                    AT_SYMLINK_FOLLOW, 0);
        }
    }

    @Override
    public int unlinkAt(int dirFd, String name) {
        try (Memory path = cString(name)) {
            return (int) call(nr.unlinkat(), dirFd, Pointer.nativeValue(path), 0, 0, 0, 0);
        }
    }

    @Override
    public FileStatus stat(int dirFd, String name) {
        try (Memory path = cString(name); Memory out = new Memory(STATX_LENGTH)) {
            long flags = name.isEmpty() ? AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW : AT_SYMLINK_NOFOLLOW;
            int rc = (int) call(nr.statx(), dirFd, Pointer.nativeValue(path), flags, STATX_BASIC_STATS,
                    Pointer.nativeValue(out), 0);
            if (rc != 0) {
                return FileStatus.failed(-rc);
            }
            // struct statx: uid @20, gid @24, mode (u16) @28, ino @32, size @40, blocks @48, dev major/minor @136/140
            long device = (out.getInt(136) & 0xffff_ffffL) << 32 | (out.getInt(140) & 0xffff_ffffL);
            return new FileStatus(0, out.getShort(28) & 0xffff, out.getInt(20), out.getInt(24), device,
                    out.getLong(32), out.getLong(40), out.getLong(48));
        }
    }

    @Override
    public boolean hasFutexWaitv() {
        return futexWaitv;
    }

    /** A path as the C string Java's own file I/O would pass: {@code sun.jnu.encoding}, NUL-terminated. */
    private static byte[] fileName(String path) {
        Charset charset;
        try {
            charset = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException unknown) {
            charset = StandardCharsets.UTF_8;
        }
        byte[] encoded = path.getBytes(charset);
        return Arrays.copyOf(encoded, encoded.length + 1);
    }

    /** {@code open(path, O_RDWR | O_CLOEXEC)}: a descriptor, or a negated errno. */
    private static int open(String path) {
        int fd = Syscalls.open(fileName(path), O_RDWR | O_CLOEXEC);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    private int openAt(long dirFd, String name, int flags, int mode) {
        try (Memory path = cString(name)) {
            return (int) call(nr.openat(), dirFd, Pointer.nativeValue(path), flags, mode, 0, 0);
        }
    }

    private static String procFd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    /** {@code s} as a NUL-terminated C string in native memory. */
    private static Memory cString(String s) {
        byte[] bytes = fileName(s);
        Memory memory = new Memory(bytes.length);
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** One system call; a failure comes back as the negated errno. */
    private static long call(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        long rc = Syscalls.syscall(number, a1, a2, a3, a4, a5, a6);
        return rc == -1 ? -Native.getLastError() : rc;
    }
}
