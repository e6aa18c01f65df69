package io.futexra.spi;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Space URIs as people write them — a configuration property, an activation property, a
 * command-line flag — read in one place, so that every edge accepts the same text and says the
 * same thing about text it refuses. Only the form common to every backend is checked here (a URI,
 * with a scheme); the backend that serves the scheme checks the rest when the space is opened.
 */
public final class SpaceUris {

    /** Space URIs to show where one was refused, for the backends this project ships. */
    public static final String EXAMPLES = "shm:payroll, shm:/dev/shm/futex-ra/payroll,"
            + " zookeeper://zk1:2181,zk2:2181,zk3:2181/futex-ra/payroll";

    private SpaceUris() {
    }

    /**
     * Reads a space URI from {@code text}, trimmed of surrounding white space.
     *
     * @param text what the user wrote
     * @return the URI, with a scheme
     * @throws IllegalArgumentException if it is no URI, or has no scheme; the message says which,
     *     in a phrase that follows the caller's naming of the value ({@code ... 'TEXT': PHRASE}),
     *     and the caller adds what to do (for example {@link #EXAMPLES})
     */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getReason() + " at index " + e.getIndex(), e);
        }
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("it has no scheme");
        }
        return uri;
    }

    /**
     * The space's name in {@code uri}: its last path segment ({@code payroll} in
     * {@code shm:/dev/shm/futex-ra/payroll} and {@code zookeeper://zk1:2181/futex-ra/payroll}).
     *
     * @param uri a space URI
     * @return the name, empty if the path ends with {@code /} or there is none
     */
    public static String spaceName(URI uri) {
        String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    }
}
