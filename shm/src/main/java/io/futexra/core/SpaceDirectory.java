package io.futexra.core;

import io.futexra.FutexRaException;
import io.futexra.SpaceFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory of space files, opened once without following a symlink and checked; every
 * space file is then opened, created, checked and removed relative to its descriptor
 * ({@code openat}, {@code linkat}, {@code unlinkat}), so nothing swapped into the path meanwhile
 * can redirect an operation elsewhere.
 *
 * <p><b>Whom it trusts.</b> A shared directory is attack surface: whoever can put a file in it can
 * plant a space, a symlink or a device node where a space is expected. So:
 * <ul>
 * <li>The directory must be owned by the calling user or by root — the users who could always
 *     replace it anyway. A directory of another user is refused: that user could swap every space
 *     in it at will.
 * <li>It may be writable by others only with the sticky bit (as {@code /dev/shm} itself is), where
 *     nobody can rename or remove another user's file.
 * <li>A space file must be a regular file (never a symlink, FIFO or device, which are not even
 *     opened for I/O: they are looked at through an {@code O_PATH} handle), and not writable by
 *     others unless the caller allowed world-writable spaces.
 * <li>Its owner must be the caller or root, or — when the directory is not writable by others —
 *     anyone: then only users the directory's owner admitted (its group) can have created it, and
 *     sharing spaces between the members of a group is the point of a group-writable directory.
 *     In a sticky directory writable by all, a file of the directory's owner is trusted too.
 * </ul>
 * Each refusal says what is wrong and the command that fixes it.
 */
final class SpaceDirectory implements AutoCloseable {

    /**
     * The mode of a directory futex-ra creates (the space directory and any missing parent):
     * group-shared like the files, no access for others, whatever the umask allows; the setgid
     * bit a new directory inherits from a setgid parent is kept.
     */
    static final int CREATED_MODE = 0770;
    private static final int SETGID = 02000;
    private static final FileAttribute<Set<PosixFilePermission>> CREATED_PERMISSIONS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwx---"));

    private final Path path;
    private final int fd;
    private final FileStatus status;
    private final Kernel kernel;

    private SpaceDirectory(Path path, int fd, FileStatus status, Kernel kernel) {
        this.path = path;
        this.fd = fd;
        this.status = status;
        this.kernel = kernel;
    }

    /**
     * Opens and checks {@code path}; creates it (and its parents) with {@link #CREATED_MODE} if it is
     * missing and {@code create} is set.
     *
     * @return the directory, or null if it does not exist and {@code create} is not set
     */
    static SpaceDirectory open(Path path, Kernel kernel, boolean create) {
        int fd = kernel.openDirectory(path.toString());
        boolean created = false;
        if (fd == -Kernel.ENOENT && create) {
            created = makeDirectory(path);
            fd = kernel.openDirectory(path.toString());
        }
        if (fd == -Kernel.ENOENT && !create) {
            return null;
        }
        if (fd < 0) {
            throw openFailed(path, -fd);
        }
        try {
            FileStatus status = kernel.stat(fd, "");
            if (created && status.uid() == kernel.geteuid()) {
                kernel.fchmod(fd, CREATED_MODE | (status.mode() & SETGID)); // exactly rwxrwx---, whatever the umask
                status = kernel.stat(fd, "");
            }
            SpaceDirectory directory = new SpaceDirectory(path, fd, status, kernel);
            directory.checkTrusted();
            return directory;
        } catch (RuntimeException refused) {
            kernel.close(fd);
            throw refused;
        }
    }

    private void checkTrusted() {
        if (status.errno() != 0) {
            throw new FutexRaException("cannot read the status of directory " + path + ": "
                    + Errno.describe(status.errno()));
        }
        int me = kernel.geteuid();
        if (status.uid() != me && status.uid() != 0) {
            throw untrusted("directory " + path + " is owned by uid " + status.uid() + ", neither this user (uid "
                    + me + ") nor root: its owner could replace any space in it. Use a directory of your own or"
                    + " one provisioned by root (e.g. 'install -d -m 2770 -o root -g GROUP " + path + "', see"
                    + " docs/threat-model.md, \"Shared directory\"), or remove this one if it is not meant to be shared.");
        }
        if (status.writableByOthers() && !status.sticky()) {
            throw untrusted("directory " + path + " (mode " + status.octalMode() + ") is writable by every user and"
                    + " has no sticky bit: anyone could replace a space in it. Run 'chmod o-w " + path + "' (or"
                    + " 'chmod +t " + path + "' if it must stay open to all).");
        }
    }

    /** The directory's descriptor, for {@code *at} calls. */
    int fd() {
        return fd;
    }

    Path path() {
        return path;
    }

    /**
     * Opens the space file {@code fileName} for reading and writing after checking what it is,
     * without following a symlink and without opening anything but a regular file for I/O.
     *
     * @return the descriptor, or a negated errno ({@code -ENOENT}: no such file; {@code -EACCES})
     */
    int openSpaceFile(String fileName, boolean worldWritableAllowed) {
        int handle = kernel.openPath(fd, fileName);
        if (handle < 0) {
            return handle;
        }
        try {
            checkSpaceFile(fileName, kernel.stat(handle, ""), worldWritableAllowed);
            return kernel.reopenReadWrite(handle); // the very inode just checked
        } finally {
            kernel.close(handle);
        }
    }

    /** Whether {@code fileName} still names the file open as {@code fileFd} (not removed or replaced). */
    boolean stillNames(String fileName, int fileFd) {
        FileStatus named = kernel.stat(fd, fileName);
        return named.errno() == 0 && named.sameFileAs(kernel.stat(fileFd, ""));
    }

    private void checkSpaceFile(String fileName, FileStatus file, boolean worldWritableAllowed) {
        Path filePath = path.resolve(fileName);
        if (file.errno() != 0) {
            throw new FutexRaException("cannot read the status of " + filePath + ": " + Errno.describe(file.errno()));
        }
        if (!file.isRegularFile()) {
            throw new SpaceFormatException(filePath + " is " + file.typeName() + ", not a space file: futex-ra"
                    + " neither follows nor opens it. Remove it ('rm " + filePath + "') if nobody meant to put it"
                    + " there, or use another space name.");
        }
        if (file.writableByOthers() && !worldWritableAllowed) {
            throw untrusted("space file " + filePath + " (mode " + file.octalMode() + ") is writable by every user:"
                    + " anyone could corrupt or forge its locks. Run 'chmod o-w " + filePath + "', or allow"
                    + " world-writable spaces explicitly (SpaceOptions.allowingWorldWritable()).");
        }
        int me = kernel.geteuid();
        boolean trustedOwner = file.uid() == me || file.uid() == 0
                || !status.writableByOthers() || file.uid() == status.uid();
        if (!trustedOwner) {
            throw untrusted("space file " + filePath + " is owned by uid " + file.uid() + ", neither this user (uid "
                    + me + ") nor root, in directory " + path + " that every user may write: anyone could have"
                    + " planted it. Remove it ('rm " + filePath + "') and use a directory that is not writable by"
                    + " others (see docs/threat-model.md, \"Shared directory\").");
        }
    }

    @Override
    public void close() {
        kernel.close(fd);
    }

    /** mkdir with parents; true if this call made {@code path} itself. */
    private static boolean makeDirectory(Path path) {
        try {
            makeMissingParents(path.getParent());
            Files.createDirectory(path, CREATED_PERMISSIONS);
            return true;
        } catch (FileAlreadyExistsException racedWithAnotherCreator) {
            return false; // fine: opened and checked like any existing directory
        } catch (AccessDeniedException denied) {
            throw permissionDenied(path, denied);
        } catch (IOException e) {
            throw new FutexRaException("cannot create directory " + path + ": " + e
                    + ". Create it (see docs/threat-model.md, \"Shared directory\") or use another directory.", e);
        }
    }

    /**
     * Creates {@code directory} and its missing ancestors as {@code mkdir -p} would, but each with
     * at most {@code rwxrwx---} (the umask can only narrow it): never a world-writable directory
     * without the sticky bit, where anyone could swap the space directory.
     */
    private static void makeMissingParents(Path directory) throws IOException {
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        makeMissingParents(directory.getParent());
        try {
            Files.createDirectory(directory, CREATED_PERMISSIONS);
        } catch (FileAlreadyExistsException racedWithAnotherCreator) {
            // made meanwhile: used as it is, as mkdir -p would
        }
    }

    private static FutexRaException openFailed(Path path, int errno) {
        if (errno == Kernel.EACCES) {
            return permissionDenied(path, new AccessDeniedException(path.toString()));
        }
        if ((errno == Kernel.ELOOP || errno == Kernel.ENOTDIR) && Files.isSymbolicLink(path)) {
            return new FutexRaException(path + " is a symbolic link, which futex-ra does not follow to its space"
                    + " directory (whoever can change the link could point it anywhere). Use the real directory"
                    + " ('readlink -f " + path + "'), or remove the link.");
        }
        return new FutexRaException("cannot open directory " + path + ": " + Errno.describe(errno)
                + ". Use an existing directory, or one futex-ra may create.");
    }

    /** A refusal to trust: reported as a permission problem (the CLI's exit status 77). */
    private static FutexRaException untrusted(String message) {
        return new FutexRaException(message, new AccessDeniedException(message));
    }

    static FutexRaException permissionDenied(Path path, AccessDeniedException denied) {
        return new FutexRaException("permission denied on " + path + ": this user may not use the space. Ask its"
                + " owner to add this user to the space file's group (spaces are created mode rw-rw----), or use"
                + " another directory.", denied);
    }
}
