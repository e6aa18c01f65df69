package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.CREATED_MILLIS_OFFSET;
import static io.futexra.core.LockSpaceLayout.CREATOR_PID_OFFSET;
import static io.futexra.core.LockSpaceLayout.FILE_LENGTH_OFFSET;
import static io.futexra.core.LockSpaceLayout.HEADER_LENGTH;
import static io.futexra.core.LockSpaceLayout.HEADER_LENGTH_OFFSET;
import static io.futexra.core.LockSpaceLayout.LAYOUT_VERSION;
import static io.futexra.core.LockSpaceLayout.LAYOUT_VERSION_OFFSET;
import static io.futexra.core.LockSpaceLayout.MAGIC;
import static io.futexra.core.LockSpaceLayout.MAGIC_OFFSET;
import static io.futexra.core.LockSpaceLayout.PID_NAMESPACE_OFFSET;
import static io.futexra.core.LockSpaceLayout.SLOT_COUNT_OFFSET;
import static io.futexra.core.LockSpaceLayout.SLOT_LENGTH;
import static io.futexra.core.LockSpaceLayout.SLOT_LENGTH_OFFSET;

import io.futexra.FutexRaException;
import io.futexra.SpaceFormatException;
import io.futexra.SpaceOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates, validates and maps a space file.
 *
 * <p>Creation never exposes a half-made space: the file is made under a temporary name, sized,
 * given its header and its mode, then linked into place with {@code link(2)}, which fails if the
 * name exists. The loser of a creation race removes its temporary file and opens the winner's.
 *
 * <p>Opening never maps what it has not checked: the header is read with a positioned read (no
 * mapping), then magic, layout version and geometry are checked against the file's real size.
 * Only a file whose size is exactly what its header says is mapped, so no access can run past the
 * end of the file (which would raise SIGBUS).
 *
 * <p>Every process that maps a space holds a shared {@code flock} on its file for as long as the
 * mapping lives, so that removing (or truncating) the file cooperatively — {@link #remove}, or
 * {@code flock -n -x} in scripts — is refused while anyone uses it. The file is opened once by
 * name, locked, checked to still be the file the name denotes, and then mapped through
 * {@code /proc/self/fd}: the mapping and the lock are on the same inode even if the name is
 * replaced meanwhile.
 */
final class SpaceFile {

    static final String SUFFIX = ".space";
    /** The directory's mode when we create it: group-shared like the files, no access for others. */
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxrwx---");
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
    record Mapped(Path path, SharedMemory memory, int slotCount, Kernel kernel, int fd) {
        void release() {
            kernel.close(fd);
        }
    }

    static Mapped openOrCreate(Path directory, String spaceName, SpaceOptions options, Kernel kernel, int pid) {
        Path path = directory.resolve(spaceName + SUFFIX);
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            try {
                return open(path, kernel);
            } catch (NoSuchFileException absent) {
                createIfAbsent(directory, path, options, pid);
            } catch (AccessDeniedException denied) {
                throw permissionDenied(path, denied);
            } catch (IOException e) {
                throw new FutexRaException("cannot open space file " + path + ": " + e, e);
            }
        }
        throw new FutexRaException("space file " + path + " keeps disappearing while being opened ("
                + CREATE_ATTEMPTS + " attempts): is another process deleting it?");
    }

    private static Mapped open(Path path, Kernel kernel) throws IOException {
        int fd = openDescriptor(path, kernel);
        boolean mapped = false;
        try {
            lockShared(path, fd, kernel);
            Path same = Path.of("/proc/self/fd", Integer.toString(fd));
            if (!sameFile(path, same)) {
                throw new NoSuchFileException(path.toString()); // removed or replaced meanwhile: start again
            }
            // map the very file we locked, whatever happens to the name meanwhile
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
                checkPidNamespace(path, header.getLong(PID_NAMESPACE_OFFSET));
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                mapped = true; // the lock lives until the handle closes: Mapped.release()
                return new Mapped(path, new SharedMemory(map, kernel.addressOf(map)), slotCount, kernel, fd);
            }
        } finally {
            if (!mapped) {
                kernel.close(fd);
            }
        }
    }

    private static int openDescriptor(Path path, Kernel kernel) throws IOException {
        int fd = kernel.open(path.toString());
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
     * process touching the mapping after that dies of SIGBUS (see README, "Guarantees and limits").
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

    private static boolean sameFile(Path path, Path descriptor) throws IOException {
        try {
            return Files.getAttribute(path, "unix:ino").equals(Files.getAttribute(descriptor, "unix:ino"))
                    && Files.getAttribute(path, "unix:dev").equals(Files.getAttribute(descriptor, "unix:dev"));
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /**
     * Removes the space file if no process maps it: takes its {@code flock} exclusively (refused
     * while any process holds the shared one), then unlinks it.
     *
     * @return false if there was no such space
     */
    static boolean remove(Path directory, String spaceName, Kernel kernel) {
        Path path = directory.resolve(spaceName + SUFFIX);
        int fd;
        try {
            fd = openDescriptor(path, kernel);
        } catch (NoSuchFileException absent) {
            return false;
        } catch (AccessDeniedException denied) {
            throw permissionDenied(path, denied);
        } catch (IOException e) {
            throw new FutexRaException("cannot open space file " + path + ": " + e, e);
        }
        try {
            if (kernel.flock(fd, Kernel.LOCK_EX | Kernel.LOCK_NB) != 0) {
                throw new FutexRaException("space '" + spaceName + "' (" + path + ") is in use: processes map it."
                        + " Close them (or their spaces) first; 'fuser " + path + "' lists them.");
            }
            Files.deleteIfExists(path);
            return true;
        } catch (IOException e) {
            throw new FutexRaException("cannot remove space file " + path + ": " + e, e);
        } finally {
            kernel.close(fd);
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
            throw new SpaceFormatException("space " + path + " has the older layout version " + version + " (owners"
                    + " linked through robust-list pointers kept in the file); this futex-ra reads only version "
                    + LAYOUT_VERSION + " (owners by participant id). Not mapped: stop the processes of the old version"
                    + " and remove the file (futex-ra rm), or use a new space name.");
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

    private static void createIfAbsent(Path directory, Path path, SpaceOptions options, int pid) {
        Path temporary = directory.resolve("." + path.getFileName() + "." + pid + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            ensureDirectory(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                Files.setPosixFilePermissions(temporary, options.fileMode()); // chmod: not subject to umask
                long length = LockSpaceLayout.fileLength(options.capacity());
                channel.write(ByteBuffer.allocate(1), length - 1); // sizes the (sparse, zero-filled) file
                channel.write(header(options.capacity(), pid), 0);
            }
            try {
                Files.createLink(path, temporary); // atomic: fails if another process linked first
            } catch (FileAlreadyExistsException lostTheRace) {
                // the other process's space is complete: open it
            }
        } catch (AccessDeniedException denied) {
            throw permissionDenied(directory, denied);
        } catch (IOException e) {
            throw new FutexRaException("cannot create space file " + path + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless: it has a name no space uses
            }
        }
    }

    private static void ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException racedWithAnotherCreator) {
            // fine: it exists now
        }
    }

    /**
     * Refuses a space created in another PID namespace. Lock words and hold records name their
     * owners by kernel TID, and TIDs repeat across PID namespaces: a thread in a container could
     * take a word holding "its own" TID for a reentrant acquisition of a lock that a host thread
     * holds — two holders. (The kernel's owner-death handling itself would still work.)
     */
    private static void checkPidNamespace(Path path, long creators) {
        long ours = pidNamespace();
        if (creators != 0 && ours != 0 && creators != ours) {
            throw new FutexRaException("space " + path + " was created in PID namespace pid:[" + creators + "], and"
                    + " this process runs in pid:[" + ours + "]. futex-ra identifies lock owners by kernel thread"
                    + " ids, which repeat across PID namespaces, so it cannot keep them apart. Run every process"
                    + " that uses the space in one PID namespace (e.g. docker run --pid=host, or a pod with a"
                    + " shared process namespace), or use another space.");
        }
    }

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
        header.putLong(PID_NAMESPACE_OFFSET, pidNamespace());
        return header;
    }

    private static FutexRaException permissionDenied(Path path, AccessDeniedException denied) {
        return new FutexRaException("permission denied on " + path + ": this user may not use the space. Ask its"
                + " owner to add this user to the space file's group (spaces are created mode rw-rw----), or use"
                + " another directory.", denied);
    }
}
