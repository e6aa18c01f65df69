package io.futexra.jca;

import io.futexra.LockSpace;
import io.futexra.spi.SpaceUris;
import java.net.URI;
import java.nio.file.Path;

/**
 * Which space a connection definition ({@link FutexManagedConnectionFactory}) or an MDB's
 * activation ({@link io.futexra.jca.inflow.FutexActivationSpec}) names: the one reading of the
 * properties {@code spaceUri}, {@code directory} and {@code space} that both share, so that an
 * EJB and an MDB given the same values (or none) meet in the same space.
 *
 * <ul>
 * <li>{@code spaceUri} set: that space, on its backend; {@code directory} and {@code space} are
 *     not used.</li>
 * <li>Otherwise the shared-memory space {@code space} in {@code directory}. A blank
 *     {@code directory} is the system property {@value #DIRECTORY_PROPERTY} if set, else
 *     {@link LockSpace#defaultDirectory()} ({@code /dev/shm/futex-ra} where it is provisioned or
 *     for root, else the server user's own directory). A blank {@code space} is the system
 *     property {@value #SPACE_PROPERTY} if set, else {@value LockSpace#DEFAULT_SPACE}. The
 *     adapter's built-in definition leaves both blank.</li>
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message starts {@code property 'NAME' =
 * 'VALUE': } and says what to write; each caller puts its own message id in front.
 *
 * @param uri the space, on its backend: what {@link LockSpace#open(URI)} is given
 * @param name the space's name (a URI's last path segment), for messages and JMX
 * @param directory the directory of the space file, or {@code null} when the space is named by {@code spaceUri}
 */
public record SpaceDefinition(URI uri, String name, Path directory) {

    /** The system property that gives a blank {@code directory} its value: {@value}. */
    public static final String DIRECTORY_PROPERTY = "futexra.directory";

    /** The system property that gives a blank {@code space} its value: {@value}. */
    public static final String SPACE_PROPERTY = "futexra.space";

    /** The {@code @ConfigProperty} description of {@code directory}, for both sides: {@value}. */
    public static final String DIRECTORY_DESCRIPTION = "Absolute directory of the space file; empty: system property"
            + " futexra.directory, else /dev/shm/futex-ra where it is provisioned or for root, else the server user's own"
            + " /dev/shm/futex-ra-UID";

    /** The {@code @ConfigProperty} description of {@code space}, for both sides: {@value}. */
    public static final String SPACE_DESCRIPTION = "Name of the lock space (A-Z a-z 0-9 . _ -); empty: system property"
            + " futexra.space, else 'default'";

    /** The {@code @ConfigProperty} description of {@code spaceUri}, for both sides: {@value}. */
    public static final String SPACE_URI_DESCRIPTION = "The space on any backend, instead of directory and space:"
            + " shm:/DIRECTORY/NAME, or zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME[?OPTIONS] (needs the ZooKeeper"
            + " backend's jars)";

    private static final String ABSOLUTE = "give an absolute directory, e.g. /dev/shm/futex-ra";

    /**
     * Reads the three properties as configured.
     *
     * @param spaceUri the space on any backend, or null or blank for none
     * @param directory the absolute directory of a shared-memory space, or null or blank for the default
     * @param space the shared-memory space's name, or null or blank for the default
     * @return the space they name
     * @throws IllegalArgumentException if a property is malformed: the message names it and what to write
     */
    public static SpaceDefinition of(String spaceUri, String directory, String space) {
        if (!isBlank(spaceUri)) {
            URI uri = parseUri(spaceUri);
            return new SpaceDefinition(uri, SpaceUris.spaceName(uri), null);
        }
        Path dir = parseDirectory(isBlank(directory) ? System.getProperty(DIRECTORY_PROPERTY) : directory);
        String name = isBlank(space) ? System.getProperty(SPACE_PROPERTY, LockSpace.DEFAULT_SPACE).trim() : space.trim();
        try {
            return new SpaceDefinition(LockSpace.sharedMemory(dir, name), name, dir);
        } catch (IllegalArgumentException e) {
            throw invalid("space", name, e.getMessage());
        }
    }

    private static URI parseUri(String spaceUri) {
        try {
            return SpaceUris.parse(spaceUri);
        } catch (IllegalArgumentException e) {
            throw invalid("spaceUri", spaceUri, e.getMessage() + ": give a space URI such as " + SpaceUris.EXAMPLES
                    + " (or leave it empty and set 'directory' and 'space')");
        }
    }

    /** The directory as configured; blank (no system property either): the library's default. */
    private static Path parseDirectory(String directory) {
        if (isBlank(directory)) {
            return LockSpace.defaultDirectory();
        }
        Path dir;
        try {
            dir = Path.of(directory.trim());
        } catch (RuntimeException e) {
            throw invalid("directory", directory, ABSOLUTE);
        }
        if (!dir.isAbsolute()) {
            throw invalid("directory", directory, ABSOLUTE);
        }
        return dir.normalize();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static IllegalArgumentException invalid(String property, String value, String fix) {
        return new IllegalArgumentException("property '" + property + "' = '" + value + "': " + fix);
    }

    /** {@return where the space is, for messages: {@code 'NAME' in DIRECTORY} or {@code 'NAME' at URI}} */
    public String describe() {
        return "'" + name + "' " + (directory != null ? "in " + directory : "at " + uri);
    }

    @Override
    public String toString() {
        return "SpaceDefinition[" + describe() + "]";
    }
}
