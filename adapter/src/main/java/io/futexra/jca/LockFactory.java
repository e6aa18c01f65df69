package io.futexra.jca;

import java.io.Serializable;
import jakarta.resource.Referenceable;

/**
 * The connection factory the adapter binds in JNDI (by default at
 * {@code java:/futex-ra/LockFactory}, on the space {@code default} in
 * {@link io.futexra.LockSpace#defaultDirectory()}; see {@link SpaceDefinition}).
 *
 * <pre>
 * &#64;Resource(lookup = "java:/futex-ra/LockFactory") LockFactory locks;
 * ...
 * try (LockConnection c = locks.getConnection();
 *      Held h = c.lock("nightly-report").acquire(Duration.ofSeconds(5))) {
 *     ...
 * }
 * </pre>
 *
 * <p>Thread-safe; connections come from the server's pool, so {@link #getConnection()} is cheap.
 */
public interface LockFactory extends Serializable, Referenceable {

    /**
     * A connection to this factory's space. Close it (try-with-resources): closing releases
     * anything still held through it, with a warning naming each object.
     *
     * @return a connection (from the server's pool when managed)
     * @throws io.futexra.FutexRaException if the server cannot supply a connection (pool
     *     exhausted, adapter stopped); the message says which
     */
    LockConnection getConnection();

    /** {@return the space this factory's connections use} */
    String spaceName();
}
