package io.futexra.core;

import java.nio.ByteBuffer;

/**
 * What the algorithms need from the operating system: futex waits and wakes, the calling
 * thread's identity and robust-list head, and access to native memory by address.
 *
 * <p>The only implementation is {@code io.futexra.linux.LinuxKernel}; this interface keeps JNA
 * out of the algorithms. Wait calls return result codes, not exceptions: {@code EAGAIN},
 * {@code EINTR} and {@code ETIMEDOUT} are normal under contention.
 *
 * <p>Every futex call here is <em>shared</em> (never {@code FUTEX_PRIVATE_FLAG}): the words live
 * in memory mapped by several processes.
 */
public interface Kernel {

    /** errno values the wait loops act on; returned negated. */
    int EAGAIN = 11;
    /** Interrupted by a signal: retry. */
    int EINTR = 4;
    /** The absolute deadline passed. */
    int ETIMEDOUT = 110;
    /** The kernel lacks the system call. */
    int ENOSYS = 38;

    /** {@code gettid(2)}: the calling thread's kernel thread id (not Java's thread id). */
    int gettid();

    /** {@code getpid(2)}. */
    int getpid();

    /**
     * The calling thread's robust-list head as registered with the kernel
     * ({@code get_robust_list(0, …)}), or 0 when none is registered or its
     * {@code futex_offset} is not {@code expectedFutexOffset}.
     */
    long robustListHead(long expectedFutexOffset);

    /**
     * {@code set_robust_list(head, 24)} for the calling thread.
     *
     * @return 0 or a negated errno
     */
    int setRobustListHead(long head);

    /** The native address of a direct buffer's first byte. */
    long addressOf(ByteBuffer direct);

    /** A direct buffer viewing {@code length} bytes of native memory at {@code address}. */
    ByteBuffer view(long address, int length);

    /**
     * Maps page {@code fileOffset} of the file open at {@code fd} shared and read-write, with a
     * private, zero-filled anonymous page right after it: {@code mmap} of two anonymous pages,
     * then {@code mmap(MAP_SHARED | MAP_FIXED)} of the file page over the first. A participant's
     * alive word sits at the end of the shared page and its robust-list node in the private one.
     *
     * @return the address of the two pages, or a negated errno
     */
    long mapPageWithPrivateTail(int fd, long fileOffset);

    /**
     * {@code mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0)}: the file open at {@code fd},
     * read-only. {@code length} may exceed the file: pages past its end are never read through
     * this mapping, only named to the kernel (a futex call there fails with {@code EFAULT}).
     *
     * @return the address, or a negated errno
     */
    long mapReadOnly(int fd, long length);

    /**
     * {@code pread(fd, address, length, offset)}: reads into native memory, never through a
     * mapping, so a file shorter than {@code offset + length} gives a short count, not a fault.
     *
     * @return the number of bytes read, or a negated errno
     */
    long read(int fd, long address, int length, long offset);

    /** {@code munmap(address, length)}: 0 or a negated errno. */
    int unmap(long address, long length);

    /** Stores a {@code long} at an arbitrary native address (the rare foreign robust-list node). */
    void putLong(long address, long value);

    /**
     * {@code FUTEX_WAIT_BITSET}: sleeps while the word at {@code address} equals {@code expected},
     * until woken or until the absolute {@code CLOCK_MONOTONIC} time in the {@code timespec} at
     * {@code timespecAddress} (0: no deadline).
     *
     * @return 0 when woken, or {@code -EAGAIN}, {@code -EINTR}, {@code -ETIMEDOUT}
     */
    int futexWait(long address, int expected, long timespecAddress);

    /**
     * {@code FUTEX_WAKE}: wakes up to {@code count} waiters of the word at {@code address}.
     *
     * @return the number woken, or a negated errno
     */
    int futexWake(long address, int count);

    /**
     * {@code futex_waitv(waiters, count, 0, timeout, CLOCK_MONOTONIC)}: sleeps until one of
     * {@code count} 24-byte {@code struct futex_waitv} entries at {@code waitvAddress} is woken,
     * or one no longer holds its value, or the absolute deadline at {@code timespecAddress}
     * (0: none) passes.
     *
     * @return the index of the woken entry, or {@code -EAGAIN}, {@code -EINTR},
     *     {@code -ETIMEDOUT}, {@code -ENOSYS}
     */
    int futexWaitv(long waitvAddress, int count, long timespecAddress);

    /** {@code flock(2)} operations. */
    int LOCK_SH = 1;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    /** {@code flock} with {@code LOCK_NB} found the file locked. */
    int EWOULDBLOCK = EAGAIN;
    /** Permission denied, and no such file. */
    int EACCES = 13;
    int ENOENT = 2;

    /**
     * {@code flock(fd, operation)}: an advisory lock held by the open file description.
     *
     * @return 0 or a negated errno ({@code -EWOULDBLOCK} with {@code LOCK_NB})
     */
    int flock(int fd, int operation);

    /** The "current directory" descriptor: {@link #stat} with it takes a path. */
    int AT_FDCWD = -100;

    /** {@code close(fd)}: 0 or a negated errno. */
    int close(int fd);

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}: a second descriptor of the same open file description
     * (so of its OFD locks).
     *
     * @return the new descriptor, or a negated errno
     */
    int duplicate(int fd);

    /**
     * {@code fcntl(fd, F_OFD_SETLK, {F_RDLCK, offset, 1 byte})}: a shared open-file-description
     * lock on one byte of the file (a directory too), held until the description's last
     * descriptor closes; never waits.
     *
     * @return 0, or a negated errno ({@code -EAGAIN} if an exclusive lock is in the way)
     */
    int lockByteShared(int fd, long offset);

    /**
     * {@code fcntl(fd, F_OFD_GETLK, {F_WRLCK, offset, 1 byte})}: whether another open file
     * description holds a lock on that byte.
     *
     * @return 1 if another holds one, 0 if none does, or a negated errno
     */
    int byteLockedByOthers(int fd, long offset);

    /** Operation not permitted; file exists; no space left on device; too many symlinks; not supported. */
    int EPERM = 1;
    int EEXIST = 17;
    int ENOSPC = 28;
    int ELOOP = 40;
    int ENOTDIR = 20;
    int EOPNOTSUPP = 95;

    /** {@code geteuid(2)}: the user whose files this process may touch. */
    int geteuid();

    /**
     * {@code open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)}: a directory, never
     * through a symlink in its last component.
     *
     * @return a file descriptor, or a negated errno ({@code -ENOTDIR}, {@code -ELOOP}, ...)
     */
    int openDirectory(String path);

    /**
     * {@code openat(dirFd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)}: a handle on whatever
     * {@code name} is (a symlink itself, a FIFO or a device is neither followed nor opened for
     * I/O), for {@link #stat} before {@link #reopenReadWrite}.
     *
     * @return a file descriptor, or a negated errno ({@code -ENOENT}, {@code -EACCES})
     */
    int openPath(int dirFd, String name);

    /**
     * {@code open("/proc/self/fd/" + fd, O_RDWR | O_CLOEXEC)}: the very inode {@code fd} refers to,
     * now for reading and writing (permission checked against its mode as by {@code open}).
     *
     * @return a file descriptor, or a negated errno
     */
    int reopenReadWrite(int fd);

    /**
     * A new, nameless, empty regular file in the directory {@code dirFd}, mode {@code 0600}, open
     * for reading and writing: {@code openat(dirFd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)};
     * where the file system lacks {@code O_TMPFILE}, {@code openat(dirFd, fallbackName,
     * O_CREAT | O_EXCL | O_NOFOLLOW | O_RDWR | O_CLOEXEC, 0600)}, which the caller must unlink
     * after {@link #linkAt}.
     *
     * @return {@code fd} if nameless, {@code fd | 1L << 32} if created as {@code fallbackName}, or a
     *     negated errno
     */
    long createFile(int dirFd, String fallbackName);

    /**
     * {@code openat(dirFd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)}: a file
     * to read, never through a symlink, never blocking on a FIFO. Check what it is with
     * {@link #stat} before trusting it.
     *
     * @return a file descriptor, or a negated errno
     */
    int openReadOnly(int dirFd, String name);

    /**
     * Allocates bytes {@code [offset, offset + length)} of the file, growing it if they lie past its
     * end: {@code fallocate(fd, 0, offset, length)}, or where the file system lacks it, a zero
     * byte written in each of those pages (so only for pages past the file's end).
     *
     * @return 0, or a negated errno ({@code -ENOSPC}, {@code -EDQUOT})
     */
    int allocateRange(int fd, long offset, long length);

    /** {@code fchmod(fd, mode)}: 0 or a negated errno. */
    int fchmod(int fd, int mode);

    /**
     * Allocates bytes {@code [0, length)} of the file (and grows it to {@code length}):
     * {@code fallocate(fd, 0, 0, length)}, or where the file system lacks it, a zero byte written
     * in each page (so only for a new file), so that later stores through a mapping never meet an unallocated page.
     *
     * @return 0, or a negated errno ({@code -ENOSPC}, {@code -EDQUOT})
     */
    int allocate(int fd, long length);

    /** {@code pwrite(fd, bytes, bytes.length, offset)} until all is written: 0 or a negated errno. */
    int writeFully(int fd, byte[] bytes, long offset);

    /**
     * {@code linkat(AT_FDCWD, "/proc/self/fd/" + fd, dirFd, name, AT_SYMLINK_FOLLOW)}: gives the
     * open file the name {@code name}; fails with {@code -EEXIST} if the name exists (whatever it
     * is, a symlink included: nothing is followed at the target).
     */
    int linkAt(int fd, int dirFd, String name);

    /** {@code unlinkat(dirFd, name, 0)}: 0 or a negated errno. */
    int unlinkAt(int dirFd, String name);

    /**
     * {@code statx}: the status of {@code fd} itself when {@code name} is empty, else of
     * {@code name} in the directory {@code dirFd} without following a symlink.
     */
    FileStatus stat(int dirFd, String name);

    /** Whether {@code futex_waitv} (Linux 5.16+) is available. */
    boolean hasFutexWaitv();
}
