package io.futexra;

import io.futexra.spi.LockSpaceProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A named set of synchronization objects shared by every process on the host that opens it.
 *
 * <p>A space is one file, by default {@code /dev/shm/futex-ra/NAME.space}, mapped into each
 * process. The first {@code open} creates it (safely, when several processes race to); later ones
 * map the same file, after checking that it really is a space of this layout version. Objects are
 * created on first use by name and live as long as the space file; a space holds at most its
 * {@link SpaceOptions#capacity() capacity} of them.
 *
 * <p>Closing a space handle stops it handing out objects; acquisitions still held through it stay
 * valid until closed (the mapping lives as long as they do). Other handles and processes are not
 * affected.
 *
 * <p><b>Backends.</b> A space is named by a URI whose scheme chooses the backend
 * ({@link #open(URI, SpaceOptions)}): {@code shm:} — shared memory on this host, the default and
 * the fastest; {@code zookeeper:} — an Apache ZooKeeper ensemble, for processes on several hosts
 * (module {@code futex-ra-zookeeper}). The {@link Path} methods are shorthands for {@code shm:}.
 * Backends are found through {@link LockSpaceProvider}; this package names no implementation.
 *
 * <p>Space names: 1 to 100 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit,
 * without {@code ..}. Object names: 1 to 128 bytes of UTF-8, with no control characters.
 */
public interface LockSpace extends AutoCloseable {

    /**
     * Where shared-memory spaces live unless told otherwise: tmpfs, so the memory is RAM and never
     * written to disk. (Shared memory only, as are the other {@link Path} methods: shorthands for
     * {@code shm:} URIs.)
     */
    Path DEFAULT_DIRECTORY = Path.of("/dev/shm/futex-ra");

    /**
     * The space the CLI, the resource adapter's built-in connection definition and MDBs use when
     * none is named. (An annotation and {@code ironjacamar.xml} repeat it; {@code DefaultDirectoryTest}
     * checks they agree.)
     */
    String DEFAULT_SPACE = "default";

    /**
     * The directory for shared-memory spaces when none is given: {@link #DEFAULT_DIRECTORY} where it
     * is provisioned (it exists) or for root; otherwise this user's own {@code /dev/shm/futex-ra-EUID},
     * created mode 0700 on first use. That per-user directory is refused if it exists and is not
     * this user's own private directory (a symlink, another owner, a looser mode), so nobody can
     * plant it first. (Shared memory only.)
     *
     * @return the directory to use
     * @throws FutexRaException if the per-user directory cannot be created or is refused; the cause
     *     is an {@link java.nio.file.AccessDeniedException} when it is refused
     */
    static Path defaultDirectory() {
        return DefaultDirectory.resolve();
    }

    /**
     * Opens (or creates) the space {@code name} in the {@link #defaultDirectory()}.
     *
     * @param name the space's name
     * @return a handle on the space; close it when done
     * @throws IllegalArgumentException if the name is not a valid space name
     * @throws SpaceFormatException if the file exists but is not a space of this layout version
     * @throws FutexRaException if the directory or file is not trusted, or cannot be created or mapped
     */
    static LockSpace open(String name) {
        return open(defaultDirectory(), name);
    }

    /**
     * Opens (or creates, with {@link SpaceOptions#defaults()}) the space {@code name} in {@code directory}.
     *
     * @param directory where the space file is (created if missing)
     * @param name the space's name
     * @return a handle on the space; close it when done
     * @throws IllegalArgumentException if the name is not a valid space name
     * @throws SpaceFormatException if the file exists but is not a space of this layout version
     * @throws FutexRaException if the directory or file is not trusted, or cannot be created or mapped
     */
    static LockSpace open(Path directory, String name) {
        return open(directory, name, SpaceOptions.defaults());
    }

    /**
     * Opens the space {@code name} in {@code directory}, creating it with {@code options} if it does not exist.
     *
     * @param directory where the space file is (created if missing)
     * @param name the space's name
     * @param options capacity and file mode, used only if this call creates the space
     * @return a handle on the space; close it when done
     * @throws IllegalArgumentException if the name is not a valid space name
     * @throws SpaceFormatException if the file exists but is not a space of this layout version
     * @throws FutexRaException if the directory or file is not trusted, or cannot be created or mapped
     */
    static LockSpace open(Path directory, String name, SpaceOptions options) {
        return open(sharedMemory(directory, name), options);
    }

    /**
     * Opens (or creates) the space {@code space} names, with {@link SpaceOptions#defaults()}; see
     * {@link #open(URI, SpaceOptions)}.
     *
     * @param space the space's URI
     * @return a handle on the space; close it when done
     */
    static LockSpace open(URI space) {
        return open(space, SpaceOptions.defaults());
    }

    /**
     * Opens the space {@code space} names, creating it if it does not exist. The scheme chooses
     * the backend:
     * <ul>
     * <li>{@code shm:NAME} or {@code shm:/DIRECTORY/NAME} — shared memory on this host;
     *     {@code options} apply when this call creates the space;
     * <li>{@code zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME[?OPTIONS]} — a ZooKeeper ensemble
     *     (needs {@code futex-ra-zookeeper} on the class path; its documentation lists the options).
     * </ul>
     *
     * @param space the space's URI
     * @param options how to create the space, if this call creates it (each backend says which fields apply)
     * @return a handle on the space; close it when done
     * @throws IllegalArgumentException if no backend serves the scheme, or the URI is malformed for it
     */
    static LockSpace open(URI space, SpaceOptions options) {
        return Backends.forUri(space).open(space, options);
    }

    /**
     * The {@code shm:} URI of the space {@code name} in {@code directory}.
     *
     * @param directory the space file's directory
     * @param name the space's name
     * @return {@code shm:/DIRECTORY/NAME}
     * @throws IllegalArgumentException if {@code name} is empty or holds a {@code /} (it would name
     *     another directory); the backend checks the rest of the rule for space names when the URI is used
     */
    static URI sharedMemory(Path directory, String name) {
        Objects.requireNonNull(directory, "directory");
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid space name (" + (name == null ? "null" : name.isEmpty() ? "empty"
                    : "it holds a '/'")
                    + "): use 1 to 100 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, without '..'");
        }
        try {
            return new URI("shm", null, directory.toAbsolutePath().normalize() + "/" + name, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot name space " + name + " in " + directory + " as a URI: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Removes the shared-memory space {@code name} from {@code directory}, but only if no process maps it now:
     * every open handle of a space holds a shared {@code flock(2)} on its file until it is closed,
     * and this takes it exclusively before unlinking. Scripts do the same with
     * {@code flock -n -x FILE rm FILE}.
     *
     * @param directory where the space file is
     * @param name the space's name
     * @return false if there was no such space
     * @throws SpaceInUseException if a process still has it open (nothing is removed)
     * @throws FutexRaException if the directory or file is not trusted or cannot be read
     */
    static boolean remove(Path directory, String name) {
        return remove(sharedMemory(directory, name));
    }

    /**
     * Removes the space {@code space} names if nothing uses it now (shared memory: see
     * {@link #remove(Path, String)}; each backend documents its rule).
     *
     * @param space the space's URI
     * @return false if there was no such space
     * @throws SpaceInUseException if it is in use (nothing is removed)
     */
    static boolean remove(URI space) {
        return Backends.forUri(space).remove(space);
    }

    /**
     * Whether the space {@code space} names exists now; nothing is created. (A backend that cannot
     * tell says true; shared memory: whether the space file exists.)
     *
     * @param space the space's URI
     * @return whether it exists
     * @throws IllegalArgumentException if no backend serves the scheme, or the URI is malformed for it
     */
    static boolean exists(URI space) {
        return Backends.forUri(space).exists(space);
    }

    /**
     * Checks the space {@code space} names for damage, read only: nothing is created, mapped for
     * use, locked or changed, so a damaged space can be checked while others still use it.
     *
     * @param space the space's URI
     * @return what the check found, or empty if there is no such space
     * @throws IllegalArgumentException if no backend serves the scheme, or the URI is malformed for it
     * @throws FutexRaException if the space exists but cannot be read at all
     * @throws UnsupportedOperationException if its backend has no checker
     */
    static Optional<SpaceReport> check(URI space) {
        return Backends.forUri(space).check(space);
    }

    /**
     * Lets the backends bundled with this copy of the API release their native resources (shared
     * memory: JNA's native library and cleaner thread, when the deployment bundles its own JNA), so
     * that an undeployed application's class loader can be collected. For a deployment's last act
     * (the resource adapter calls it when it stops); nothing of futex-ra is used afterwards. A
     * standalone JVM never needs it.
     */
    static void releaseNativeResources() {
        Backends.releaseNativeResources();
    }

    /** {@return the space's name} */
    String name();

    /**
     * The lock called {@code name}, created with {@link LockOptions#defaults()} if it does not
     * exist yet; an existing lock keeps the options it was created with.
     *
     * @param name the lock's name
     * @return the lock (a handle: nothing is acquired)
     * @throws IllegalArgumentException if the name is not a valid object name
     * @throws SpaceFullException if it does not exist and the space holds its capacity of objects
     */
    NamedLock lock(String name);

    /**
     * The lock called {@code name}, created with {@code options} if it does not exist yet.
     *
     * @param name the lock's name
     * @param options policy and spin limit, the same in every process that names the lock
     * @return the lock (a handle: nothing is acquired)
     * @throws IllegalArgumentException if it exists with other options, or the name is invalid
     * @throws SpaceFullException if it does not exist and the space holds its capacity of objects
     */
    NamedLock lock(String name, LockOptions options);

    /**
     * The reader/writer lock called {@code name}, created if it does not exist yet.
     *
     * @param name the lock's name
     * @return the lock (a handle: nothing is acquired)
     * @throws IllegalArgumentException if the name is not a valid object name
     * @throws SpaceFullException if it does not exist and the space holds its capacity of objects
     */
    NamedReadWriteLock readWriteLock(String name);

    /**
     * The semaphore called {@code name}, created with {@code permits} (1 to
     * {@link NamedSemaphore#MAX_PERMITS}) if it does not exist yet.
     *
     * @param name the semaphore's name
     * @param permits its permits, 1 to {@link NamedSemaphore#MAX_PERMITS}
     * @return the semaphore (a handle: nothing is acquired)
     * @throws IllegalArgumentException if it exists with another permit count, or an argument is invalid
     * @throws SpaceFullException if it does not exist and the space holds its capacity of objects
     */
    NamedSemaphore semaphore(String name, int permits);

    /**
     * The event called {@code name}, created with {@code mode} if it does not exist yet.
     *
     * @param name the event's name
     * @param mode manual or auto reset
     * @return the event
     * @throws IllegalArgumentException if it exists with the other mode, or the name is invalid
     * @throws SpaceFullException if it does not exist and the space holds its capacity of objects
     */
    NamedEvent event(String name, EventMode mode);

    /**
     * A dispatcher that delivers signals of this backend's events and owner deaths of its locks to
     * listeners, running on threads {@code promoter} gives it; close it when done.
     *
     * @param promoter runs the dispatcher's work on other threads
     * @return a new dispatcher, delivering nothing until something is subscribed or watched
     */
    Dispatcher dispatcher(Dispatcher.Promoter promoter);

    /** {@return every object in the space, in slot order: the one source for the CLI, JMX and the adapter} */
    List<ObjectInfo> objects();

    /**
     * The figures of this space: totals over every object, and per object for the objects named
     * and the {@code top} hottest others ({@link SpaceStatistics#HOTTEST_FIRST}), so that the
     * number of per-object figures stays bounded however many objects the space holds. The
     * space's counters are read as {@link #objects()} reads them; timeouts, wait and hold times
     * are what this process measured (a backend that measures nothing in-process reports them
     * as 0 and empty).
     *
     * @param names objects always given per object, if they exist
     * @param top how many other objects to give per object, hottest first; 0 for none
     * @return the figures, read now
     * @throws IllegalArgumentException if {@code top} is negative
     */
    default SpaceStatistics statistics(Set<String> names, int top) {
        return SpaceStatistics.of(name(), objects().stream().map(LockStatistics::of).toList(), names, top);
    }

    /** Stops this handle handing out objects; held acquisitions stay valid until closed. */
    @Override
    void close();
}
