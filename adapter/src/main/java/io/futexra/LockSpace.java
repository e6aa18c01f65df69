package io.futexra;

import io.futexra.core.ShmLockSpace;
import io.futexra.linux.LinuxKernel;
import java.nio.file.Path;
import java.util.List;

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
 * <p>Space names: 1 to 100 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit,
 * without {@code ..}. Object names: 1 to 128 bytes of UTF-8, with no control characters.
 */
public interface LockSpace extends AutoCloseable {

    /** Where spaces live unless told otherwise: tmpfs, so the memory is RAM and never written to disk. */
    Path DEFAULT_DIRECTORY = Path.of("/dev/shm/futex-ra");

    /**
     * Opens (or creates) the space {@code name} in {@link #DEFAULT_DIRECTORY}.
     *
     * @param name the space's name
     * @return a handle on the space; close it when done
     * @throws IllegalArgumentException if the name is not a valid space name
     * @throws SpaceFormatException if the file exists but is not a space of this layout version
     * @throws FutexRaException if the directory or file is not trusted, or cannot be created or mapped
     */
    static LockSpace open(String name) {
        return open(DEFAULT_DIRECTORY, name);
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
        return ShmLockSpace.open(directory, name, options, LinuxKernel.load());
    }

    /**
     * Removes the space {@code name} from {@code directory}, but only if no process maps it now:
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
        return ShmLockSpace.remove(directory, name, LinuxKernel.load());
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

    /** {@return every object in the space, in slot order: the one source for the CLI, JMX and the adapter} */
    List<ObjectInfo> objects();

    /** Stops this handle handing out objects; held acquisitions stay valid until closed. */
    @Override
    void close();
}
