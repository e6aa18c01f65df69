package io.futexra.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.futexra.core.Kernel;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link Kernel} on Linux through JNA direct mapping of {@code syscall(2)}.
 *
 * <p>Loading JNA costs about 160 ms, so {@link #load()} does it once, eagerly, when the first
 * space is opened rather than inside the first contended wait.
 */
public final class LinuxKernel implements Kernel {

    private static final long FUTEX_WAKE = 1;
    private static final long FUTEX_WAIT_BITSET = 9;
    private static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;
    private static final long CLOCK_MONOTONIC = 1;
    private static final long ROBUST_LIST_HEAD_LENGTH = 24;
    private static final int EINVAL = 22;
    /** open(2) flags, the same on x86_64 and aarch64. */
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    /** mmap(2) protections and flags, the same on x86_64 and aarch64. */
    private static final long PROT_READ_WRITE = 3;
    private static final long MAP_SHARED = 1;
    private static final long MAP_PRIVATE = 2;
    private static final long MAP_FIXED = 0x10;
    private static final long MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;

    private static volatile LinuxKernel instance;

    private final SyscallNumbers nr;
    private final boolean futexWaitv;

    private LinuxKernel(SyscallNumbers nr) {
        this.nr = nr;
        Syscalls.load();
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
                    k = new LinuxKernel(SyscallNumbers.forCurrentArchitecture());
                    instance = k;
                }
            }
        }
        return k;
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
    public int open(String path) {
        int fd = Syscalls.open(fileName(path), O_RDWR | O_CLOEXEC);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    @Override
    public int flock(int fd, int operation) {
        return Syscalls.flock(fd, operation) == 0 ? 0 : -Native.getLastError();
    }

    @Override
    public int close(int fd) {
        return Syscalls.close(fd) == 0 ? 0 : -Native.getLastError();
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

    /** One system call; a failure comes back as the negated errno. */
    private static long call(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        long rc = Syscalls.syscall(number, a1, a2, a3, a4, a5, a6);
        return rc == -1 ? -Native.getLastError() : rc;
    }
}
