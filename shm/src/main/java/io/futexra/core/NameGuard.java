package io.futexra.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What keeps a space's name from being given to a second, fresh space while processes still map
 * a first one that was removed (by {@code rm}, a tmp cleaner, or systemd-logind's
 * {@code RemoveIPC} at a user's last logout): without it, the next opener would create an empty
 * space under the same name and hand out every lock a second time.
 *
 * <p>How. Every mapper of a space holds, for as long as it maps it, a shared open-file-description
 * lock ({@code F_OFD_SETLK}, {@code F_RDLCK}) on one byte of the <em>space directory</em>, at an
 * offset that a 63-bit hash of the file name gives, and one of its <em>parent directory</em>, at the
 * hash of {@code directoryName/fileName}. A byte lock on a directory locks nothing anyone reads:
 * it is a record the kernel keeps per inode and drops when the holder's descriptor closes,
 * including at the process's death, and it survives the unlinking of the space file. A creator
 * ({@link SpaceFile}), finding the name missing, asks the kernel ({@code F_OFD_GETLK}) whether
 * anyone holds either byte; if so, it refuses to create the space, saying why.
 *
 * <p>Order, so that no window lets a mapper of the old file and a creator of the new one both go
 * on: a mapper takes its locks after opening and locking the file and <em>before</em> it checks
 * that the name still denotes that file (and starts again if not); a creator checks the locks
 * after finding the name missing, and if it finds them held it first looks whether the name has
 * appeared meanwhile (then it opens that, as any opener). So a mapper whose locks the creator did
 * not see finds, at its check, the name missing or denoting the creator's file, and drops the old
 * one.
 *
 * <p>Residual windows, stated plainly. The locks live on directory inodes: if the space
 * directory <em>and</em> its parent are both removed and made again (a user-owned directory tree
 * in {@code /dev/shm} two levels deep, all removed by {@code RemoveIPC}), nothing remains to check,
 * and a new opener creates a fresh space (the holders still learn of the removal, see
 * {@link ShmLockSpace}). With the provisioned layouts — a root-owned {@code /dev/shm/futex-ra},
 * or the per-user default {@code /dev/shm/futex-ra-UID} whose parent {@code /dev/shm} is never
 * removed — one of the two directories survives. A parent that cannot be opened for reading (no
 * permission) gives no lock there. A hash collision between two names of one directory
 * (probability 2<sup>-62</sup> per pair) would refuse a creation wrongly, never allow one.
 * Processes that mapped the space before this guard existed (older futex-ra) hold no lock.
 */
final class NameGuard implements AutoCloseable {

    private final Kernel kernel;
    /** The space directory's descriptor (a duplicate holding its lock), or -1. */
    private final int directoryFd;
    /** The parent directory's descriptor holding its lock, or -1. */
    private final int parentFd;

    private NameGuard(Kernel kernel, int directoryFd, int parentFd) {
        this.kernel = kernel;
        this.directoryFd = directoryFd;
        this.parentFd = parentFd;
    }

    /** Takes the two locks for {@code fileName} in {@code dir}; a lock the file system refuses is skipped. */
    static NameGuard hold(SpaceDirectory dir, String fileName, Kernel kernel) {
        int own = kernel.duplicate(dir.fd());
        if (own >= 0 && kernel.lockByteShared(own, offset(fileName)) != 0) {
            kernel.close(own);
            own = -1;
        }
        int parent = openParent(dir.path(), kernel);
        if (parent >= 0 && kernel.lockByteShared(parent, offset(parentKey(dir.path(), fileName))) != 0) {
            kernel.close(parent);
            parent = -1;
        }
        return new NameGuard(kernel, own, parent);
    }

    /** Whether another open file description (another mapper, in any process) holds a lock for {@code fileName}. */
    static boolean heldByOthers(SpaceDirectory dir, String fileName, Kernel kernel) {
        if (kernel.byteLockedByOthers(dir.fd(), offset(fileName)) == 1) {
            return true;
        }
        int parent = openParent(dir.path(), kernel);
        if (parent < 0) {
            return false;
        }
        try {
            return kernel.byteLockedByOthers(parent, offset(parentKey(dir.path(), fileName))) == 1;
        } finally {
            kernel.close(parent);
        }
    }

    /** The space directory's descriptor this guard keeps open, or -1. */
    int directoryFd() {
        return directoryFd;
    }

    /** Drops the locks. */
    @Override
    public void close() {
        if (directoryFd >= 0) {
            kernel.close(directoryFd);
        }
        if (parentFd >= 0) {
            kernel.close(parentFd);
        }
    }

    private static int openParent(Path directory, Kernel kernel) {
        Path parent = directory.toAbsolutePath().getParent();
        return parent == null ? -1 : kernel.openDirectory(parent.toString());
    }

    private static String parentKey(Path directory, String fileName) {
        Path name = directory.toAbsolutePath().getFileName();
        return (name == null ? "" : name.toString()) + "/" + fileName;
    }

    /** The byte locked for {@code key}: a 64-bit FNV-1a hash of its UTF-8, made a non-negative offset below 2^62. */
    static long offset(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash >>> 2;
    }
}
