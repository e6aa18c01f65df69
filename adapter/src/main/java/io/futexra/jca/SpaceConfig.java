package io.futexra.jca;

import io.futexra.LockPolicy;
import io.futexra.SpaceOptions;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * The validated configuration of one connection definition: where its space is and how it is
 * created. Built from the string properties the server sets on
 * {@link FutexManagedConnectionFactory}; every error names the property and what to write.
 *
 * @param directory absolute directory of the space file
 * @param space the space's name
 * @param options capacity and file mode, used when this definition creates the space
 * @param policy the policy of locks it creates
 */
record SpaceConfig(Path directory, String space, SpaceOptions options, LockPolicy policy) {

    static SpaceConfig parse(String directory, String space, String fileMode, String policy, Integer capacity,
                             boolean allowWorldWritable) {
        Path dir = parseDirectory(directory);
        if (space == null || space.isBlank()) {
            throw invalid("space", space, "give the space a name of A-Z a-z 0-9 . _ -, e.g. 'default'");
        }
        Set<PosixFilePermission> mode;
        try {
            mode = PosixFilePermissions.fromString(fileMode == null ? "" : fileMode.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("fileMode", fileMode, "write nine characters like 'rw-rw----' (owner, group, others)");
        }
        LockPolicy p;
        try {
            p = LockPolicy.valueOf(policy == null ? "" : policy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("defaultPolicy", policy, "use GREEDY or FAIR");
        }
        int cap = capacity == null ? SpaceOptions.DEFAULT_CAPACITY : capacity;
        SpaceOptions options;
        try {
            options = new SpaceOptions(cap, mode, allowWorldWritable);
        } catch (IllegalArgumentException e) {
            String fix = mode.contains(PosixFilePermission.OTHERS_WRITE) && !allowWorldWritable
                    ? " (property 'fileMode'; set the property 'allowWorldWritable' to true to accept it anyway)" : "";
            throw new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition: " + e.getMessage()
                    + fix);
        }
        return new SpaceConfig(dir, space.trim(), options, p);
    }

    private static Path parseDirectory(String directory) {
        if (directory == null || directory.isBlank()) {
            throw invalid("directory", directory, "give an absolute directory, e.g. /dev/shm/futex-ra");
        }
        Path dir;
        try {
            dir = Path.of(directory.trim());
        } catch (RuntimeException e) {
            throw invalid("directory", directory, "give an absolute directory, e.g. /dev/shm/futex-ra");
        }
        if (!dir.isAbsolute()) {
            throw invalid("directory", directory, "give an absolute directory, e.g. /dev/shm/futex-ra");
        }
        return dir.normalize();
    }

    private static IllegalArgumentException invalid(String property, String value, String fix) {
        return new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition property '" + property
                + "' = '" + value + "': " + fix + ".");
    }

    /** The identity of the space: definitions naming the same file share one open space. */
    String key() {
        return key(directory, space);
    }

    /** The key of the space {@code space} in {@code directory}. */
    static String key(Path directory, String space) {
        return directory.normalize().resolve(space) + ".space";
    }
}
