package io.futexra;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * How a space is created: its capacity and its file mode. Both apply only when this call creates
 * the space; opening an existing space uses what it was created with.
 *
 * @param capacity how many named objects the space can hold (a 4 KiB slot each)
 * @param fileMode permissions of the space file, set explicitly (not subject to the umask)
 */
public record SpaceOptions(int capacity, Set<PosixFilePermission> fileMode) {

    /** 4096 objects: a 16 MiB sparse file; only the pages of objects in use take memory. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** The largest capacity: 2^18 objects, a 1 GiB file (a mapping is at most 2 GiB). */
    public static final int MAX_CAPACITY = 1 << 18;
    /**
     * Owner and group may read and write; others nothing. Servers running as different users
     * share a space through a common group.
     */
    public static final Set<PosixFilePermission> DEFAULT_FILE_MODE = PosixFilePermissions.fromString("rw-rw----");

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
    }

    public static SpaceOptions defaults() {
        return new SpaceOptions(DEFAULT_CAPACITY, DEFAULT_FILE_MODE);
    }

    public SpaceOptions withCapacity(int newCapacity) {
        return new SpaceOptions(newCapacity, fileMode);
    }

    public SpaceOptions withFileMode(Set<PosixFilePermission> newMode) {
        return new SpaceOptions(capacity, newMode);
    }
}
