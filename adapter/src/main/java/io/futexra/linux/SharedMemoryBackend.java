package io.futexra.linux;

import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.SpaceOptions;
import io.futexra.core.ShmLockSpace;
import io.futexra.core.ShmNamedEvent;
import io.futexra.spi.LockSpaceProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shared-memory backend, scheme {@code shm}: the core's spaces on this kernel. URIs:
 * {@code shm:NAME} (a space in {@link LockSpace#DEFAULT_DIRECTORY}) and {@code shm:/DIRECTORY/NAME}.
 * Every {@link SpaceOptions} field applies when the call creates the space.
 */
public final class SharedMemoryBackend implements LockSpaceProvider {

    /** The URI scheme. */
    public static final String SCHEME = "shm";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public LockSpace open(URI space, SpaceOptions options) {
        Location at = Location.of(space);
        return ShmLockSpace.open(at.directory, at.name, options, LinuxKernel.load());
    }

    @Override
    public boolean remove(URI space) {
        Location at = Location.of(space);
        return ShmLockSpace.remove(at.directory, at.name, LinuxKernel.load());
    }

    @Override
    public boolean owns(Class<? extends NamedEvent> eventClass) {
        return ShmNamedEvent.class.isAssignableFrom(eventClass);
    }

    @Override
    public int awaitAny(Duration timeout, NamedEvent... events) {
        return ShmNamedEvent.awaitAny(timeout, events);
    }

    /** A space's directory and name, read from its {@code shm:} URI. */
    private static final class Location {
        final Path directory;
        final String name;

        private Location(Path directory, String name) {
            this.directory = directory;
            this.name = name;
        }

        static Location of(URI space) {
            if (!SCHEME.equalsIgnoreCase(space.getScheme()) || space.getRawQuery() != null
                    || space.getRawFragment() != null || space.getRawAuthority() != null) {
                throw malformed(space);
            }
            if (space.isOpaque()) {
                return new Location(LockSpace.DEFAULT_DIRECTORY, space.getSchemeSpecificPart());
            }
            // split before decoding: an encoded '/' or ".." belongs to the name, which the core then refuses
            String path = space.getRawPath();
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                throw malformed(space);
            }
            return new Location(Path.of(slash == 0 ? "/" : decode(path.substring(0, slash))),
                    decode(path.substring(slash + 1)));
        }

        private static String decode(String raw) {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        private static IllegalArgumentException malformed(URI space) {
            return new IllegalArgumentException("'" + space + "' is not a shared-memory space URI: use shm:NAME (in "
                    + LockSpace.DEFAULT_DIRECTORY + ") or shm:/DIRECTORY/NAME");
        }
    }
}
