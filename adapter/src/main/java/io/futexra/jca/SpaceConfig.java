package io.futexra.jca;

import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.SpaceUnavailableException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * The validated configuration of one connection definition: where its space is (a
 * {@link SpaceDefinition}, read as an MDB's activation reads it) and how it is created. Built from
 * the string properties the server sets on {@link FutexManagedConnectionFactory}; every error names
 * the property and what to write.
 *
 * @param where the space: {@code spaceUri}, else the shared-memory space {@code space} in {@code directory}
 * @param options capacity and file mode, used when this definition creates the space (shared memory)
 * @param policy the policy of locks it creates
 */
record SpaceConfig(SpaceDefinition where, SpaceOptions options, LockPolicy policy) {

    static SpaceConfig parse(String spaceUri, String directory, String space, String fileMode, String policy,
                             Integer capacity, boolean allowWorldWritable) {
        SpaceDefinition where;
        try {
            where = SpaceDefinition.of(spaceUri, directory, space);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition " + e.getMessage() + ".");
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
        try {
            return new SpaceConfig(where, new SpaceOptions(cap, mode, allowWorldWritable), p);
        } catch (IllegalArgumentException e) {
            String fix = mode.contains(PosixFilePermission.OTHERS_WRITE) && !allowWorldWritable
                    ? " (property 'fileMode'; set the property 'allowWorldWritable' to true to accept it anyway)" : "";
            throw new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition: " + e.getMessage()
                    + fix);
        }
    }

    private static IllegalArgumentException invalid(String property, String value, String fix) {
        return new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition property '" + property
                + "' = '" + value + "': " + fix + ".");
    }

    /** {@return the space, on its backend: what {@link LockSpace#open(URI, SpaceOptions)} is given} */
    URI uri() {
        return where.uri();
    }

    /** {@return the space's name, for messages and JMX} */
    String space() {
        return where.name();
    }

    /** {@return the directory of the space file; {@code null} when the definition names the space by {@code spaceUri}} */
    Path directory() {
        return where.directory();
    }

    /**
     * Refuses a directory the server cannot use before anything is opened: a file in its place, or
     * an existing directory the server's user may not write ({@code FUTEXRA040}, naming the
     * property, the cause and the fix). Creates nothing: a missing directory is made, with its mode,
     * by the space file itself.
     */
    void checkDirectory() {
        if (directory() == null) {
            return; // named by spaceUri: its backend checks what it needs when the space is opened
        }
        if (Files.exists(directory()) && !Files.isDirectory(directory())) {
            throw unusable("it exists but is not a directory");
        }
        if (Files.isDirectory(directory()) && !Files.isWritable(directory())) {
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
        if (directory() == null) {
            return explainUri(failure);
        }
        if (Files.isDirectory(directory())) {
            return failure;
        }
        IllegalArgumentException e = unusable("the directory does not exist and cannot be created (" + failure.getMessage()
                + ")");
        e.initCause(failure);
        return e;
    }

    /**
     * A space named by {@code spaceUri} that could not be opened: no backend for its scheme here
     * or a form its backend refuses ({@code FUTEXRA041}), or a backend that cannot reach it now
     * ({@code FUTEXRA042}); anything else as it is.
     */
    private RuntimeException explainUri(RuntimeException failure) {
        RuntimeException e;
        if (failure instanceof SpaceUnavailableException) {
            e = new IllegalStateException("FUTEXRA042: the futex-ra connection definition's space '" + uri() + "' cannot"
                    + " be reached now: " + failure.getMessage() + ". Redeploy the RAR (or reload the definition) once"
                    + " it can.");
        } else if (failure instanceof IllegalArgumentException) {
            e = new IllegalArgumentException("FUTEXRA041: invalid futex-ra connection definition property 'spaceUri' = '"
                    + uri() + "': " + failure.getMessage() + ". A backend other than shm needs its jars in the RAR (see"
                    + " docs/wildfly.md, \"Another backend\").");
        } else {
            return failure;
        }
        e.initCause(failure);
        return e;
    }

    private IllegalArgumentException unusable(String cause) {
        return new IllegalArgumentException("FUTEXRA040: invalid futex-ra connection definition property 'directory' = '"
                + directory() + "': " + cause + ". Give an absolute directory the server's user may create or write, e.g."
                + " /dev/shm/futex-ra (for the built-in definition set the system property futexra.directory, then"
                + " redeploy the RAR).");
    }

    /**
     * The identity of the space, its URI: definitions naming the same space share one open space
     * (a directory and name give the same {@code shm:} URI as {@code spaceUri} naming that file).
     */
    String key() {
        return uri().toString();
    }

    /** Where the space is, for messages: {@code 'NAME' in DIRECTORY}, or {@code 'NAME' at URI}. */
    String describe() {
        return where.describe();
    }
}
