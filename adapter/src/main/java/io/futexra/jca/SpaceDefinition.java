package io.futexra.jca;

import io.futexra.LockSpace;
import io.futexra.spi.SpaceUris;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

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
 */
public final class SpaceDefinition {

    /** The system property that gives a blank {@code directory} its value: {@value}. */
    public static final String DIRECTORY_PROPERTY = "futexra.directory";

    /** The system property that gives a blank {@code space} its value: {@value}. */
    public static final String SPACE_PROPERTY = "futexra.space";

    private static final String ABSOLUTE = "give an absolute directory, e.g. /dev/shm/futex-ra";

    private final URI uri;
    private final String name;
    private final Path directory;

    private SpaceDefinition(URI uri, String name, Path directory) {
        this.uri = uri;
        this.name = name;
        this.directory = directory;
    }

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

    /** {@return the space, on its backend: what {@link LockSpace#open(URI)} is given} */
    public URI uri() {
        return uri;
    }

    /** {@return the space's name (a URI's last path segment), for messages and JMX} */
    public String name() {
        return name;
    }

    /**
     * {@return the directory of the space file, or {@code null} when the space is named by {@code spaceUri}}
     */
    public Path directory() {
        return directory;
    }

    /** {@return where the space is, for messages: {@code 'NAME' in DIRECTORY} or {@code 'NAME' at URI}} */
    public String describe() {
        return "'" + name + "' " + (directory != null ? "in " + directory : "at " + uri);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpaceDefinition d && d.uri.equals(uri) && d.name.equals(name)
                && Objects.equals(d.directory, directory);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return "SpaceDefinition[" + describe() + "]";
    }
}
