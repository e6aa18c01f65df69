package io.futexra;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * How a space is created: its capacity and its file mode. Both apply only when this call creates
 * the space; opening an existing space uses what it was created with. These are shared-memory
 * settings (the size of the space file, its mode and whether a world-writable file is accepted);
 * other backends say in their documentation which they apply, and ignore the rest.
 *
 * @param capacity how many named objects the space can hold (a 4 KiB slot each)
 * @param fileMode permissions of the space file, set explicitly (not subject to the umask)
 * @param worldWritableAllowed whether a space file writable by every user may be created (with a
 *     {@code fileMode} that has {@code OTHERS_WRITE}) or opened; refused unless set, because any
 *     user could then forge or corrupt the space's locks
 */
public record SpaceOptions(int capacity, Set<PosixFilePermission> fileMode, boolean worldWritableAllowed) {

    /** 4096 objects: a 16 MiB file, allocated when the space is created (so a full tmpfs fails then, cleanly). */
    public static final int DEFAULT_CAPACITY = 4096;
    /** The largest capacity: 2^18 objects, a 1 GiB file (a mapping is at most 2 GiB). */
    public static final int MAX_CAPACITY = 1 << 18;
    /**
     * Owner and group may read and write; others nothing. Servers running as different users
     * share a space through a common group.
     */
    public static final Set<PosixFilePermission> DEFAULT_FILE_MODE = PosixFilePermissions.fromString("rw-rw----");

    /**
     * Checks the options; the file mode is copied.
     *
     * @param capacity how many objects the space holds, 1 to {@link #MAX_CAPACITY}
     * @param fileMode the space file's permissions; must let the owner read and write
     * @param worldWritableAllowed whether a mode that lets every user write is accepted
     * @throws IllegalArgumentException if the capacity is not 1 to {@link #MAX_CAPACITY}, the mode
     *     does not let the owner read and write, or it lets every user write without
     *     {@code worldWritableAllowed}
     * @throws NullPointerException if {@code fileMode} is {@code null}
     */
    public SpaceOptions {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("space capacity must be between 1 and " + MAX_CAPACITY
                    + " objects, not " + capacity);
        }
        fileMode = Set.copyOf(Objects.requireNonNull(fileMode, "fileMode"));
        if (!fileMode.contains(PosixFilePermission.OWNER_READ) || !fileMode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw new IllegalArgumentException("a space's file mode must let its owner read and write, not "
                    + PosixFilePermissions.toString(fileMode));
        }
        if (fileMode.contains(PosixFilePermission.OTHERS_WRITE) && !worldWritableAllowed) {
            throw new IllegalArgumentException("file mode " + PosixFilePermissions.toString(fileMode) + " lets every"
                    + " user write the space, and so forge or corrupt its locks: use a group (e.g. rw-rw----), or"
                    + " allow it explicitly with allowingWorldWritable()");
        }
    }

    /**
     * Capacity and mode; world-writable spaces refused.
     *
     * @param capacity how many objects the space holds, 1 to {@link #MAX_CAPACITY}
     * @param fileMode the space file's permissions; must let the owner read and write
     * @throws IllegalArgumentException if either is out of range, or the mode lets every user write
     */
    public SpaceOptions(int capacity, Set<PosixFilePermission> fileMode) {
        this(capacity, fileMode, false);
    }

    /** {@return {@value #DEFAULT_CAPACITY} objects, mode {@code rw-rw----}, world-writable refused} */
    public static SpaceOptions defaults() {
        return new SpaceOptions(DEFAULT_CAPACITY, DEFAULT_FILE_MODE);
    }

    /**
     * These options with another capacity.
     *
     * @param newCapacity how many objects the space holds, 1 to {@link #MAX_CAPACITY}
     * @return new options
     * @throws IllegalArgumentException if {@code newCapacity} is out of range
     */
    public SpaceOptions withCapacity(int newCapacity) {
        return new SpaceOptions(newCapacity, fileMode, worldWritableAllowed);
    }

    /**
     * These options with another file mode.
     *
     * @param newMode the space file's permissions; must let the owner read and write
     * @return new options
     * @throws IllegalArgumentException if the mode is refused (see the canonical constructor)
     */
    public SpaceOptions withFileMode(Set<PosixFilePermission> newMode) {
        return new SpaceOptions(capacity, newMode, worldWritableAllowed);
    }

    /** {@return these options, also allowing a space file that every user may write (not recommended)} */
    public SpaceOptions allowingWorldWritable() {
        return new SpaceOptions(capacity, fileMode, true);
    }

    /** {@return the file mode as permission bits, e.g. {@code 0660}} */
    public int fileModeBits() {
        int bits = 0;
        for (PosixFilePermission p : fileMode) {
            bits |= 0400 >> p.ordinal(); // OWNER_READ, OWNER_WRITE, ..., OTHERS_EXECUTE: 0400 down to 0001
        }
        return bits;
    }
}
