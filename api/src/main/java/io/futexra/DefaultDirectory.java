package io.futexra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@link LockSpace#defaultDirectory()}: the shared directory where it is provisioned, else one of
 * the caller's own.
 *
 * <p>The rule: the shared directory ({@link LockSpace#DEFAULT_DIRECTORY}) when it exists — it was
 * provisioned (docs/threat-model.md, "Shared directory"), and the space file's trust checks
 * apply to it as to any directory; a symlink in its place counts as existing, and is refused there
 * — or when the caller is root (root creates the shared directory as it always did). Otherwise the
 * shared directory's sibling {@code futex-ra-EUID}, created mode 0700 by the caller, so that
 * spaces of a user on a host nobody provisioned are that user's alone and nobody else can plant
 * the directory first and own the user's spaces. If that sibling exists it must be the caller's
 * own directory of mode 0700, not a symlink: anything else is refused (someone else made it, or
 * it was loosened), with what to do.
 *
 * <p>Races: the check reads the sibling's attributes without following a symlink after creating it
 * (or finding it). In a sticky directory such as {@code /dev/shm} nobody else may rename or remove
 * the caller's directory after that, so what was checked stays what is used.
 */
final class DefaultDirectory {

    /** rwx------: the per-user directory's mode. */
    private static final int OWNER_ONLY = 0700;

    private DefaultDirectory() {
    }

    static Path resolve() {
        return resolve(LockSpace.DEFAULT_DIRECTORY, effectiveUid());
    }

    /** The default directory for a caller of effective uid {@code euid}, given the shared one. */
    static Path resolve(Path shared, int euid) {
        if (euid == 0 || Files.exists(shared, LinkOption.NOFOLLOW_LINKS)) {
            return shared;
        }
        Path own = shared.resolveSibling(shared.getFileName() + "-" + euid);
        boolean created = false;
        try {
            Files.createDirectory(own, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            created = true;
        } catch (FileAlreadyExistsException exists) {
            // checked below: it must be ours and private
        } catch (IOException e) {
            throw new FutexRaException("cannot create " + own + ", this user's directory for lock spaces (" + shared
                    + " is not provisioned): " + e + ". Provision " + shared
                    + " (see docs/threat-model.md, \"Shared directory\") or choose a directory.", e);
        }
        checkOwnAndPrivate(own, shared, euid, created);
        return own;
    }

    private static void checkOwnAndPrivate(Path own, Path shared, int euid, boolean created) {
        String problem;
        try {
            if (!Files.isDirectory(own, LinkOption.NOFOLLOW_LINKS)) {
                problem = "it is not a directory (a symlink or a file)";
            } else {
                int owner = (Integer) Files.getAttribute(own, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(own, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                if (owner != euid) {
                    problem = "it belongs to uid " + owner + ", not to this user (uid " + euid + ")";
                } else if (mode != OWNER_ONLY && created) {
                    // our umask took bits off the mode we asked for: put them back on our own new directory
                    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
                    return;
                } else if (mode != OWNER_ONLY) {
                    problem = "its mode is " + Integer.toOctalString(mode) + ", not 700";
                } else {
                    return;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            problem = "it cannot be checked (" + e + ")";
        }
        String message = own + " is refused as this user's directory for lock spaces: " + problem + ". It is used"
                + " because " + shared + " is not provisioned; if " + own + " is yours, make it private (chmod 700),"
                + " else remove it (as its owner or root); or provision " + shared + " (see docs/threat-model.md, \"Shared directory\"), or choose"
                + " another directory.";
        throw new FutexRaException(message, new AccessDeniedException(own.toString(), null, problem));
    }

    /** This process's effective uid, from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
            throw new IOException("no Uid: line");
        } catch (IOException | RuntimeException e) {
            throw new FutexRaException("cannot tell this process's user from /proc/self/status (" + e + "): give a"
                    + " directory for lock spaces explicitly", e);
        }
    }
}
