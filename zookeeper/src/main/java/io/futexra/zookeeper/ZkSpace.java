package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.ObjectKind;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * What every object of one open {@code zookeeper:} space shares: the process's client for its
 * ensemble, the space's znode, whether the handle is still open, and the object registry.
 *
 * <p><b>Znode layout</b> (the only place it is written down; {@code PARENT} and {@code SPACE} come
 * from the URI, object names are encoded by {@link ZkNames}):
 * <pre>
 * /PARENT/SPACE                           persistent, empty: the space
 * └── objects                             persistent, empty
 *     └── NAME                            persistent, data "KIND OPTIONS": the registry entry (one name, one kind)
 *         ├── lock                        LOCK: Curator InterProcessMutex's loop, one pair per acquisition (ZkLockLine):
 *         │   ├── ID-lock-NNNNNNNNNN      ephemeral sequential, data = the holder (ZkHolder): its place in line
 *         │   └── marker-ID               persistent, empty, created and deleted with it (previousOwnerDied)
 *         ├── rw                          READ_WRITE_LOCK: Curator InterProcessReadWriteLock, __READ__ / __WRIT__ nodes
 *         ├── semaphore                   SEMAPHORE: Curator InterProcessSemaphoreV2 (locks/, leases/)
 *         ├── owners                      writers' and permit holders' markers (previousOwnerDied; ZkOwners)
 *         │   └── HEX-CZXID               persistent, data = the holder's lock node path; deleted on a clean release
 *         └── ...                         EVENT: the event's own nodes (see ZkNamedEvent)
 * </pre>
 * <b>Layout change.</b> Before plain locks kept their markers in line, they wrote them under
 * {@code owners} too, once holding. A space used by both versions at once keeps mutual exclusion
 * (both order lock nodes by Curator's sequence suffix, and markers sort after every lock node in
 * the old version's order), but {@code previousOwnerDied} is told only between holders of the
 * same version, and a plain lock's {@code owners} markers left by the old version are ignored:
 * move every client of a space to this version together. No version node is kept: there was no
 * release before this layout.
 * Curator creates {@code lock}, {@code rw}, {@code semaphore} and {@code owners} as container
 * nodes: the server removes them when they have been empty a while, and that is why a lock node's
 * sequence number restarts and is no fencing token, while its czxid (the zxid of the transaction
 * that created it, ensemble-wide and ever-growing) is.
 */
final class ZkSpace {

    private final ZkAddress address;
    private final ZkClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    ZkSpace(ZkAddress address, ZkClient client) {
        this.address = address;
        this.client = client;
    }

    /** The ensemble's client, shared by the process. */
    CuratorFramework client() {
        return client.curator();
    }

    /** The shared client with its connection state and recipe instances. */
    ZkClient shared() {
        return client;
    }

    /** The space's name. */
    String name() {
        return address.spaceName();
    }

    /** The space's znode. */
    String path() {
        return address.spacePath();
    }

    /** The znode of the object {@code name} (checked and encoded). */
    String objectPath(String name) {
        return path() + "/objects/" + ZkNames.encode(name);
    }

    /** @throws IllegalStateException if this space handle was closed */
    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("space '" + name() + "' (" + address + ") is closed: open it again");
        }
    }

    /**
     * Marks the handle closed; returns whether it was open: true to one caller only, even when
     * threads close the handle at once (each true releases a user of the shared client).
     */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /**
     * Registers the object {@code name} as a {@code kind} with {@code options} unless it exists,
     * and returns the options it has (the caller compares them with its own and words the refusal).
     *
     * @throws IllegalArgumentException if the name is bad, or names an object of another kind
     */
    String register(String name, ObjectKind kind, String options) {
        checkOpen();
        String path = objectPath(name);
        String entry = kind.name() + " " + options;
        client.awaitConnected("register " + kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "' in"
                + " ZooKeeper space " + address);
        try {
            try {
                client().create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                        .forPath(path, entry.getBytes(StandardCharsets.UTF_8));
                return options;
            } catch (KeeperException.NodeExistsException exists) {
                String found = new String(client().getData().forPath(path), StandardCharsets.UTF_8);
                int space = found.indexOf(' ');
                String foundKind = space < 0 ? found : found.substring(0, space);
                if (!foundKind.equals(kind.name())) {
                    throw new IllegalArgumentException("'" + name + "' in space '" + name() + "' is a " + foundKind
                            + ", not a " + kind + ": one name, one kind; choose another name");
                }
                return space < 0 ? "" : found.substring(space + 1);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw failure("register " + kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'", e);
        }
    }

    /** An unexpected ZooKeeper failure while doing {@code what}, with what to check. */
    FutexRaException failure(String what, Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (cause instanceof KeeperException.ConnectionLossException
                || cause instanceof KeeperException.OperationTimeoutException) {
            return client.unavailable(what + " in ZooKeeper space " + address, cause);
        }
        if (cause instanceof KeeperException.NoAuthException || cause instanceof KeeperException.AuthFailedException
                || cause instanceof KeeperException.SessionClosedRequireAuthException) {
            return new FutexRaException("could not " + what + " in ZooKeeper space " + address + ": the ensemble refused"
                    + " this client (" + ((KeeperException) cause).code() + (address.credentials() == null
                    ? ", and it gave no credentials"
                    : ", authenticated as " + address.credentials()) + "). Give the identity that created the space:"
                    + " digestFile=/PATH (a file of mode 600 holding USER:PASSWORD) or digestEnv=NAME in the space URI,"
                    + " or SASL through the JAAS file named by -Djava.security.auth.login.config (section Client);"
                    + " or ask the ensemble's operator to grant it access to " + address.spacePath(), cause);
        }
        return new FutexRaException("could not " + what + " in ZooKeeper space " + address + ": " + cause
                + " (check the ensemble and the connection; the operation may be retried)", cause);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
