package io.futexra.spi;

import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.SpaceOptions;
import io.futexra.SpaceReport;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A backend: what {@link LockSpace#open(URI, SpaceOptions)} finds, by the URI's scheme, through
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.futexra.spi.LockSpaceProvider}
 * entry in the backend's jar). The API names no implementation class; each backend is one of these.
 *
 * <p>Every object a backend hands out (spaces, locks, events, holds) is its own; the API routes an
 * operation that spans objects ({@link NamedEvent#awaitAny}) to the backend that {@link #owns} them.
 */
public interface LockSpaceProvider {

    /** The URI scheme this backend serves, in lower case: {@code shm}, {@code zookeeper}. */
    String scheme();

    /**
     * Opens the space {@code space} names, creating it if it does not exist. {@code options} are
     * what the caller asked for; a backend says in its documentation which of them it applies.
     *
     * @throws IllegalArgumentException if the URI is not one this backend can read (say what form it takes)
     */
    LockSpace open(URI space, SpaceOptions options);

    /**
     * Removes the space {@code space} names if nothing uses it now.
     *
     * @return false if there was no such space
     * @throws io.futexra.SpaceInUseException if it is in use (nothing is removed)
     */
    boolean remove(URI space);

    /**
     * Whether the space {@code space} names exists now, found without creating it (the CLI's
     * {@code ls} and {@code check} ask before opening). A backend that cannot tell answers true:
     * opening the space then creates it.
     */
    default boolean exists(URI space) {
        return true;
    }

    /**
     * Checks the space {@code space} names for damage, read only: {@link LockSpace#check(URI)}'s work.
     *
     * @return the report, or empty if there is no such space
     * @throws io.futexra.FutexRaException if the space exists but cannot be read at all
     * @throws UnsupportedOperationException if this backend has no checker (the default)
     */
    default Optional<SpaceReport> check(URI space) {
        throw new UnsupportedOperationException("the futex-ra backend '" + scheme() + "' cannot check spaces");
    }

    /**
     * Lets go of native resources this backend's classes hold for the deployment that loaded them
     * (a native library's copy, its threads), so that the deployment's class loader can be
     * collected once it ends: {@link LockSpace#releaseNativeResources()}'s work, called by the
     * resource adapter when it stops. Nothing opened through this backend is used afterwards. The
     * default has nothing to release.
     */
    default void releaseNativeResources() {
    }

    /** Whether events of class {@code eventClass} are handed out by this backend (asked once per class). */
    boolean owns(Class<? extends NamedEvent> eventClass);

    /**
     * {@link NamedEvent#awaitAny}'s work for events that all belong to this backend.
     *
     * @return the index of a signaled event, or -1 on timeout
     */
    int awaitAny(Duration timeout, NamedEvent... events);
}
