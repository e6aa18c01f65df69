package io.futexra.linux;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.SpaceOptions;
import io.futexra.SpaceReport;
import io.futexra.core.ShmLockSpace;
import io.futexra.core.ShmNamedEvent;
import io.futexra.core.SpaceChecker;
import io.futexra.spi.LockSpaceProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The shared-memory backend, scheme {@code shm}: the core's spaces on this kernel. URIs:
 * {@code shm:NAME} (a space in the {@link LockSpace#defaultDirectory()}) and {@code shm:/DIRECTORY/NAME};
 * percent-encoded characters are decoded, except an encoded {@code /} ({@code %2F}), which is refused.
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

    /** Whether the space file exists (as any kind of file: opening or checking it says what is wrong with it). */
    @Override
    public boolean exists(URI space) {
        return Files.exists(Location.of(space).file(), LinkOption.NOFOLLOW_LINKS);
    }

    /** {@link SpaceChecker}'s walk of the space file, read only: the file is neither mapped nor locked. */
    @Override
    public Optional<SpaceReport> check(URI space) {
        Path file = Location.of(space).file();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        SpaceChecker.Report r;
        try {
            r = SpaceChecker.check(file);
        } catch (IOException e) {
            throw new FutexRaException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(new SpaceReport(file.toString(), r.objects() + " objects in " + r.slotCount() + " slots, "
                + r.heldWords() + " words held by live threads", r.problems(), r.warnings()));
    }

    /** Unbinds this deployment's classes from JNA, and disposes JNA if the deployment bundles it ({@link NativeDisposal}). */
    @Override
    public void releaseNativeResources() {
        NativeDisposal.release();
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

        /** The space file, as {@link LockSpace} documents it: {@code DIRECTORY/NAME.space}. */
        Path file() {
            return ShmLockSpace.file(directory, name);
        }

        static Location of(URI space) {
            if (!SCHEME.equalsIgnoreCase(space.getScheme()) || space.getRawQuery() != null
                    || space.getRawFragment() != null || space.getRawAuthority() != null) {
                throw malformed(space);
            }
            if (space.isOpaque()) {
                return new Location(LockSpace.defaultDirectory(), space.getSchemeSpecificPart());
            }
            // the last segment is the name (the core checks it: "", "..", ...); the rest the directory
            String path = space.getPath();
            int slash = path.lastIndexOf('/');
            if (slash < 0 || slashes(path) != slashes(space.getRawPath())) {
                throw malformed(space); // an encoded '/' (%2F) would move the name's start: not a name character
            }
            return new Location(Path.of(slash == 0 ? "/" : path.substring(0, slash)), path.substring(slash + 1));
        }

        private static long slashes(String path) {
            return path.chars().filter(c -> c == '/').count();
        }

        private static IllegalArgumentException malformed(URI space) {
            return new IllegalArgumentException("'" + space + "' is not a shared-memory space URI: use shm:NAME (in"
                    + " the default directory) or shm:/DIRECTORY/NAME");
        }
    }
}
