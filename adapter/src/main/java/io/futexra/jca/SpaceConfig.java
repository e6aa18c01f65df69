package io.futexra.jca;

import io.futexra.LockPolicy;
import io.futexra.SpaceOptions;
import java.nio.file.Files;
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

    /**
     * Refuses a directory the server cannot use before anything is opened: a file in its place, or
     * an existing directory the server's user may not write ({@code FUTEXRA040}, naming the
     * property, the cause and the fix). Creates nothing: a missing directory is made, with its mode,
     * by the space file itself.
     */
    void checkDirectory() {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw unusable("it exists but is not a directory");
        }
        if (Files.isDirectory(directory) && !Files.isWritable(directory)) {
            throw unusable("the server's user may not write it");
        }
    }

    /**
     * Explains a failure to open the space that comes from the directory: when it still does not
     * exist, it could not be created — the real cause, not the space file's missing path.
     *
     * @return the {@code FUTEXRA040} error, or {@code failure} itself when the directory is not the cause
     */
    RuntimeException explain(RuntimeException failure) {
        if (Files.isDirectory(directory)) {
            return failure;
        }
        IllegalArgumentException e = unusable("the directory does not exist and cannot be created (" + failure.getMessage()
                + ")");
        e.initCause(failure);
        return e;
    }

    private IllegalArgumentException unusable(String cause) {
        return new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition property 'directory' = '"
                + directory + "': " + cause + ". Give an absolute directory the server's user may create or write, e.g."
                + " /dev/shm/futex-ra (for the built-in definition set the system property futexra.directory, then"
                + " redeploy the RAR).");
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
