package io.futexra.core;

import static io.futexra.core.HeaderDescriptor.CREATED_MILLIS_OFFSET;
import static io.futexra.core.HeaderDescriptor.CREATOR_PID_OFFSET;
import static io.futexra.core.HeaderDescriptor.FILE_LENGTH_OFFSET;
import static io.futexra.core.HeaderDescriptor.HEADER_LENGTH_OFFSET;
import static io.futexra.core.HeaderDescriptor.LAYOUT_VERSION_OFFSET;
import static io.futexra.core.HeaderDescriptor.MAGIC;
import static io.futexra.core.HeaderDescriptor.MAGIC_OFFSET;
import static io.futexra.core.HeaderDescriptor.PID_NAMESPACE_OFFSET;
import static io.futexra.core.HeaderDescriptor.SLOT_COUNT_OFFSET;
import static io.futexra.core.HeaderDescriptor.SLOT_LENGTH_OFFSET;
import static io.futexra.core.LockSpaceLayout.HEADER_LENGTH;
import static io.futexra.core.LockSpaceLayout.LAYOUT_VERSION;
import static io.futexra.core.LockSpaceLayout.SLOT_LENGTH;

import io.futexra.FutexRaException;
import io.futexra.SpaceFormatException;
import io.futexra.SpaceInUseException;
import io.futexra.SpaceOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates, validates and maps a space file, always relative to its checked directory
 * ({@link SpaceDirectory}: who is trusted, and why).
 *
 * <p>Creation never exposes a half-made space and never acts on a name: the file is made nameless
 * in the directory ({@code O_TMPFILE}; where the file system lacks it, under a fresh random name
 * with {@code O_CREAT|O_EXCL|O_NOFOLLOW}), then — all on its descriptor — given its mode
 * ({@code fchmod}, so no umask and no symlink can interfere), all its pages ({@code fallocate}, so
 * a full file system is a clean "no space left on device" now, never a SIGBUS later when a slot is
 * first touched), and its header ({@code pwrite}); only then is it linked into place with
 * {@code linkat}, which fails if the name exists, whatever is there. The loser of a creation race
 * drops its file and opens the winner's.
 *
 * <p>Opening never maps what it has not checked: the name is opened without following a symlink
 * ({@code O_PATH|O_NOFOLLOW}), checked with {@code fstat} (a regular file, a trusted owner, not
 * writable by others), and only then reopened for reading and writing through its descriptor; the
 * header is read with a positioned read (no mapping), then magic, layout version and geometry are
 * checked against the file's real size. Only a file whose size is exactly what its header says is
 * mapped, so no access can run past the end of the file (which would raise SIGBUS).
 *
 * <p>Every process that maps a space holds a shared {@code flock} on its file for as long as the
 * mapping lives, so that removing (or truncating) the file cooperatively — {@link #remove}, or
 * {@code flock -n -x} in scripts — is refused while anyone uses it. After locking, the name is
 * checked to still denote the locked inode, and the mapping is made through
 * {@code /proc/self/fd}: the mapping and the lock are on the same inode even if the name is
 * replaced meanwhile.
 *
 * <p>A removal that ignores the lock ({@code rm}, a tmp cleaner, systemd-logind's
 * {@code RemoveIPC}) cannot be prevented; what matters is that it never yields a second space under
 * the same name while the first is in use. Every mapper also holds the name's {@link NameGuard}
 * (taken before the check that the name still denotes the locked file), and a creator that finds
 * the name missing while a guard is held refuses with a {@link SpaceInUseException} saying what
 * happened. The mappers themselves learn of the removal from {@link Mapped#removedOrReplaced()}
 * (see {@link ShmLockSpace}).
 */
final class SpaceFile {

    static final String SUFFIX = ".space";
    private static final int CREATE_ATTEMPTS = 10;
    /** How long an opener waits while a remover or repairer holds the file's lock exclusively. */
    private static final long LOCK_PATIENCE_NANOS = 2_000_000_000L;

    private SpaceFile() {
    }

    /**
     * The mapped file: its memory, its slot count, and the descriptor that holds the file's shared
     * lock. {@link #release()} closes it (and so drops the lock) when the space handle closes:
     * deterministically, with no cleaner thread, which an application server's redeploys would
     * otherwise collect one of per deployment.
     */
    /**
     * A mapped space file. {@code directoryFd}: a descriptor of the checked directory it was opened
     * in, handed over to the caller ({@link ProcessContext#aliveFiles}).
     */
    record Mapped(Path path, SharedMemory memory, int slotCount, Kernel kernel, int fd, NameGuard guard,
                  FileStatus identity, int directoryFd) {
        void release() {
            kernel.close(fd);
            guard.close();
        }

        /**
         * "removed" or "replaced by another file" if the path no longer names the mapped file
         * (compared by device and inode), or null while it does.
         */
        String removedOrReplaced() {
            FileStatus named = kernel.stat(Kernel.AT_FDCWD, path.toString());
            if (named.errno() == Kernel.ENOENT || named.errno() == Kernel.ENOTDIR) {
                return "removed";
            }
            return named.errno() == 0 && !named.sameFileAs(identity) ? "replaced by another file" : null;
        }
    }

    static Mapped openOrCreate(Path directory, String spaceName, SpaceOptions options, Kernel kernel, int pid) {
        String fileName = spaceName + SUFFIX;
        Path path = directory.resolve(fileName);
        try (SpaceDirectory dir = SpaceDirectory.open(directory, kernel, true)) {
            for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
                try {
                    return open(dir, fileName, options, kernel);
                } catch (NoSuchFileException absent) {
                    if (NameGuard.heldByOthers(dir, fileName, kernel)) {
                        if (kernel.stat(dir.fd(), fileName).errno() == 0) {
                            continue; // a space appeared meanwhile (its mapper holds the guard): open it
                        }
                        throw removedWhileInUse(spaceName, path);
                    }
                    create(dir, spaceName, options, kernel, pid);
                } catch (AccessDeniedException denied) {
                    throw SpaceDirectory.permissionDenied(path, denied);
                } catch (IOException e) {
                    throw new FutexRaException("cannot open space file " + path + ": " + e, e);
                }
            }
        }
        throw new FutexRaException("space file " + path + " keeps disappearing while being opened ("
                + CREATE_ATTEMPTS + " attempts): is another process deleting it?");
    }

    private static Mapped open(SpaceDirectory dir, String fileName, SpaceOptions options, Kernel kernel)
            throws IOException {
        Path path = dir.path().resolve(fileName);
        int fd = openDescriptor(dir, fileName, options.worldWritableAllowed(), kernel);
        boolean mapped = false;
        NameGuard guard = null;
        try {
            lockShared(path, fd, kernel);
            guard = NameGuard.hold(dir, fileName, kernel); // before the check below: see NameGuard
            if (!dir.stillNames(fileName, fd)) {
                throw new NoSuchFileException(path.toString()); // removed or replaced meanwhile: start again
            }
            // map the very file we locked, whatever happens to the name meanwhile
            Path same = Path.of("/proc/self/fd", Integer.toString(fd));
            try (FileChannel channel = FileChannel.open(same, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = channel.size();
                if (size < HEADER_LENGTH) {
                    throw new SpaceFormatException("space file " + path + " is " + size + " bytes, shorter than the "
                            + HEADER_LENGTH + "-byte header: it is truncated or not a futex-ra space. Not mapped;"
                            + " remove it if no process uses it.");
                }
                ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder());
                while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                    // positioned reads until the header is full
                }
                int slotCount = validate(path, header, size);
                int directoryFd = kernel.duplicate(dir.fd());
                if (directoryFd < 0) {
                    throw new FutexRaException("cannot keep a descriptor of directory " + dir.path() + " ("
                            + Errno.describe(-directoryFd) + ")");
                }
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                mapped = true; // the locks live until the handle closes: Mapped.release()
                return new Mapped(path, new SharedMemory(map, kernel.addressOf(map)), slotCount, kernel, fd, guard,
                        kernel.stat(fd, ""), directoryFd);
            }
        } finally {
            if (!mapped) {
                kernel.close(fd);
                if (guard != null) {
                    guard.close();
                }
            }
        }
    }

    private static SpaceInUseException removedWhileInUse(String spaceName, Path path) {
        return new SpaceInUseException("space '" + spaceName + "' (" + path + ") was removed while processes still"
                + " use it: they map the removed file ('grep -l \"" + path + " (deleted)\" /proc/*/maps' lists them)."
                + " Not created afresh: a new space under the same name would hand out its locks a second time."
                + " The likely cause is systemd-logind's RemoveIPC (the owner's last logout), a tmp cleaner, or an"
                + " rm; those processes are told (their holds report lost). Open it again once they have closed"
                + " it, and keep RemoveIPC and cleaners away from space directories (docs/threat-model.md).");
    }

    private static int openDescriptor(SpaceDirectory dir, String fileName, boolean worldWritableAllowed,
                                      Kernel kernel) throws IOException {
        Path path = dir.path().resolve(fileName);
        int fd = dir.openSpaceFile(fileName, worldWritableAllowed);
        if (fd == -Kernel.ENOENT) {
            throw new NoSuchFileException(path.toString());
        }
        if (fd == -Kernel.EACCES) {
            throw new AccessDeniedException(path.toString());
        }
        if (fd < 0) {
            throw new FileSystemException(path.toString(), null, "open(2) failed: " + Errno.describe(-fd));
        }
        return fd;
    }

    /**
     * Takes the shared {@code flock} that every process mapping the space holds for as long as it
     * maps it. A cooperating tool that would truncate, rewrite or remove the file takes it
     * exclusively first ({@link #remove}, or {@code flock -n -x FILE ...}) and is refused while the
     * space is in use. It is advisory: a tool that ignores it can still truncate the file, and a
     * process touching the mapping after that dies of SIGBUS (see docs/threat-model.md, "Guarantees and limits").
     */
    private static void lockShared(Path path, int fd, Kernel kernel) {
        long deadline = System.nanoTime() + LOCK_PATIENCE_NANOS;
        int rc;
        while ((rc = kernel.flock(fd, Kernel.LOCK_SH | Kernel.LOCK_NB)) == -Kernel.EWOULDBLOCK
                && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000_000L); // someone is removing or repairing it: usually brief
        }
        if (rc != 0) {
            throw new FutexRaException("space file " + path + " is locked exclusively (flock) by another process"
                    + (rc == -Kernel.EWOULDBLOCK ? "" : " (errno " + -rc + ")") + ": it is being removed or"
                    + " repaired. Retry later, or find the process with 'fuser " + path + "'.");
        }
    }

    /**
     * Removes the space file if no process maps it: opens and checks it by descriptor, takes its
     * {@code flock} exclusively (refused while any process holds the shared one), checks that the
     * name still denotes that very file, and unlinks the name relative to the directory's
     * descriptor. (Linux cannot unlink by descriptor; between the check and {@code unlinkat} only
     * a user who may write the checked directory could swap the name, and such a user could
     * remove the file anyway.)
     *
     * @return false if there was no such space
     */
    static boolean remove(Path directory, String spaceName, Kernel kernel) {
        String fileName = spaceName + SUFFIX;
        Path path = directory.resolve(fileName);
        try (SpaceDirectory dir = SpaceDirectory.open(directory, kernel, false)) {
            if (dir == null) {
                return false;
            }
            int fd;
            try {
                fd = openDescriptor(dir, fileName, true, kernel); // removing a world-writable space is fine
            } catch (NoSuchFileException absent) {
                return false;
            } catch (AccessDeniedException denied) {
                throw SpaceDirectory.permissionDenied(path, denied);
            } catch (IOException e) {
                throw new FutexRaException("cannot open space file " + path + ": " + e, e);
            }
            try {
                if (kernel.flock(fd, Kernel.LOCK_EX | Kernel.LOCK_NB) != 0) {
                    throw new SpaceInUseException("space '" + spaceName + "' (" + path + ") is in use: processes map"
                            + " it. Close them (or their spaces) first; 'fuser " + path + "' lists them.");
                }
                if (!dir.stillNames(fileName, fd)) {
                    return false; // someone else removed (or replaced) it meanwhile: not ours to delete
                }
                int rc = kernel.unlinkAt(dir.fd(), fileName);
                if (rc != 0 && rc != -Kernel.ENOENT) {
                    throw new FutexRaException("cannot remove space file " + path + ": " + Errno.describe(-rc));
                }
                return rc == 0;
            } finally {
                kernel.close(fd);
            }
        }
    }

    /** Checks the header against the file's size; returns the slot count. */
    static int validate(Path path, ByteBuffer header, long fileSize) {
        long magic = header.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new SpaceFormatException(path + " is not a futex-ra space (magic 0x" + Long.toHexString(magic)
                    + ", expected 0x" + Long.toHexString(MAGIC) + "). Not mapped; use another space name or remove"
                    + " the file.");
        }
        int version = header.getInt(LAYOUT_VERSION_OFFSET);
        if (version > 0 && version < LAYOUT_VERSION) {
            throw new SpaceFormatException("space " + path + " has layout " + version + " ("
                    + (version == 1 ? "owners linked through robust-list pointers kept in the file"
                            : version == 2 ? "readers found by scanning records; FAIR waiters all woken at once"
                            : "alive words in the space file, where a co-writer's truncation cut owner-death recovery")
                    + "); this futex-ra uses " + LAYOUT_VERSION + ": recreate it when no process uses it (stop the"
                    + " processes of the old version, then futex-ra rm, or LockSpace.remove), or use a new space name."
                    + " Not mapped: processes of the two versions would not understand each other's words.");
        }
        if (version != LAYOUT_VERSION) {
            throw new SpaceFormatException("space " + path + " has layout version " + version + "; this futex-ra"
                    + " reads version " + LAYOUT_VERSION + ". Use the futex-ra version that created it, or a new"
                    + " space name.");
        }
        int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
        int slotLength = header.getInt(SLOT_LENGTH_OFFSET);
        int slotCount = header.getInt(SLOT_COUNT_OFFSET);
        long recorded = header.getLong(FILE_LENGTH_OFFSET);
        if (headerLength != HEADER_LENGTH || slotLength != SLOT_LENGTH || slotCount < 1
                || slotCount > SpaceOptions.MAX_CAPACITY || recorded != LockSpaceLayout.fileLength(slotCount)) {
            throw new SpaceFormatException("space " + path + " has a corrupted header (header " + headerLength
                    + " bytes, slot " + slotLength + " bytes, " + slotCount + " slots, file length " + recorded
                    + "). Not mapped; remove the file if no process uses it.");
        }
        if (fileSize != recorded) {
            throw new SpaceFormatException("space " + path + " is " + fileSize + " bytes but its header says "
                    + recorded + " (" + (fileSize < recorded ? "truncated" : "grown") + "). Not mapped; remove the"
                    + " file if no process uses it.");
        }
        return slotCount;
    }

    /**
     * Makes the space nameless, fills it in on its descriptor, and links it into place; a name that
     * exists by then (another creator won, or anything else was put there) is left alone and the
     * caller opens and checks it.
     */
    private static void create(SpaceDirectory dir, String spaceName, SpaceOptions options, Kernel kernel, int pid) {
        String fileName = spaceName + SUFFIX;
        Path path = dir.path().resolve(fileName);
        String fallbackName = "." + fileName + "." + pid + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
        long created = kernel.createFile(dir.fd(), fallbackName);
        if (created < 0) {
            throw createFailed(dir, path, options, (int) -created);
        }
        int fd = (int) created;
        try {
            long length = LockSpaceLayout.fileLength(options.capacity());
            check(kernel.fchmod(fd, options.fileModeBits()), dir, path, options); // not subject to the umask
            check(kernel.allocate(fd, length), dir, path, options); // every page now: no SIGBUS later
            check(kernel.writeFully(fd, header(options.capacity(), pid).array(), 0), dir, path, options);
            int linked = kernel.linkAt(fd, dir.fd(), fileName); // atomic: fails if the name exists
            if (linked != -Kernel.EEXIST) {
                check(linked, dir, path, options); // EEXIST: the other process's space is complete: open it
            }
        } finally {
            if (created >>> 32 != 0) {
                kernel.unlinkAt(dir.fd(), fallbackName); // the fallback's temporary name
            }
            kernel.close(fd); // a nameless file that was never linked vanishes with its pages
        }
    }

    private static void check(int rc, SpaceDirectory dir, Path path, SpaceOptions options) {
        if (rc != 0) {
            throw createFailed(dir, path, options, -rc);
        }
    }

    private static FutexRaException createFailed(SpaceDirectory dir, Path path, SpaceOptions options, int errno) {
        if (errno == Kernel.EACCES || errno == Kernel.EPERM) {
            return SpaceDirectory.permissionDenied(dir.path(), new AccessDeniedException(dir.path().toString()));
        }
        long length = LockSpaceLayout.fileLength(options.capacity());
        String advice = errno == Kernel.ENOSPC
                ? ". Nothing was created. Make room ('df -h " + dir.path() + "'; remove unused spaces), enlarge the"
                        + " file system, or choose a smaller capacity."
                : ". Nothing was created.";
        return new FutexRaException("cannot create space file " + path + " (" + options.capacity() + " objects, "
                + length + " bytes): " + Errno.describe(errno) + advice);
    }

    /**
     * This process's PID namespace, recorded in the header by a creator and in each participant
     * entry (for listings only). Processes of different PID namespaces share a space safely:
     * object words name owners by participant id, which no namespace repeats, and the kernel
     * compares each alive word with the dying thread's TID in that thread's own namespace.
     */
    static final long OWN_PID_NAMESPACE = pidNamespace();

    /** This process's PID namespace: the inode of {@code /proc/self/ns/pid}, or 0 if not visible. */
    static long pidNamespace() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self/ns/pid"), "unix:ino")).longValue();
        } catch (IOException | RuntimeException unknown) {
            return 0L;
        }
    }

    private static ByteBuffer header(int slotCount, int pid) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder());
        header.putLong(MAGIC_OFFSET, MAGIC);
        header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        header.putInt(SLOT_LENGTH_OFFSET, SLOT_LENGTH);
        header.putInt(SLOT_COUNT_OFFSET, slotCount);
        header.putLong(FILE_LENGTH_OFFSET, LockSpaceLayout.fileLength(slotCount));
        header.putLong(CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        header.putInt(CREATOR_PID_OFFSET, pid);
        header.putLong(PID_NAMESPACE_OFFSET, OWN_PID_NAMESPACE);
        return header;
    }

}
