package io.futexra.zookeeper;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.SpaceInUseException;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * A space on a ZooKeeper ensemble: its objects are znodes under the space's path (the layout is
 * drawn in {@link ZkSpace}). Opening creates the space's znode if missing; closing releases this
 * handle's use of the process's client (holds still open keep it connected until closed).
 */
final class ZkLockSpace implements LockSpace {

    private final ZkSpace space;

    private ZkLockSpace(ZkSpace space) {
        this.space = space;
    }

    static ZkLockSpace open(ZkAddress address) {
        ZkClient client = ZkClient.acquire(address);
        ZkSpace space = new ZkSpace(address, client);
        try {
            client.curator().create().orSetData().creatingParentsIfNeeded().forPath(address.spacePath() + "/objects");
        } catch (Exception e) {
            client.release();
            throw space.failure("open the space", e);
        }
        return new ZkLockSpace(space);
    }

    /**
     * Removes the space's znodes if no client holds anything in it now: no ephemeral node (a lock
     * node or a semaphore lease) anywhere under it. The check and the delete are not atomic: a
     * client acquiring at that moment may see its nodes vanish (its hold is then reported lost by
     * {@link io.futexra.Held#isHeld()}); remove spaces only when their users are stopped.
     */
    /** Whether the space's znode exists; creates nothing. */
    static boolean exists(ZkAddress address) {
        ZkClient client = ZkClient.acquire(address);
        ZkSpace space = new ZkSpace(address, client);
        try {
            return client.curator().checkExists().forPath(address.spacePath()) != null;
        } catch (Exception e) {
            throw space.failure("look for the space", e);
        } finally {
            client.release();
        }
    }

    static boolean remove(ZkAddress address) {
        ZkClient client = ZkClient.acquire(address);
        ZkSpace space = new ZkSpace(address, client);
        try {
            CuratorFramework curator = client.curator();
            if (curator.checkExists().forPath(address.spacePath()) == null) {
                return false;
            }
            String user = ephemeralUnder(curator, address.spacePath());
            if (user != null) {
                throw new SpaceInUseException("ZooKeeper space " + address + " is in use (" + user + " is held by a live"
                        + " session): stop its users first, or wait until they release");
            }
            curator.delete().deletingChildrenIfNeeded().forPath(address.spacePath());
            return true;
        } catch (SpaceInUseException e) {
            throw e;
        } catch (KeeperException.NoNodeException gone) {
            return false;
        } catch (Exception e) {
            throw space.failure("remove the space", e);
        } finally {
            client.release();
        }
    }

    /** The first ephemeral znode under {@code path}, or null. */
    private static String ephemeralUnder(CuratorFramework curator, String path) throws Exception {
        for (String child : curator.getChildren().forPath(path)) {
            String childPath = path + "/" + child;
            Stat stat = curator.checkExists().forPath(childPath);
            if (stat != null && stat.getEphemeralOwner() != 0) {
                return childPath;
            }
            String deeper = stat == null || stat.getNumChildren() == 0 ? null : ephemeralUnder(curator, childPath);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return space.name();
    }

    /** The handle's shared state (for this package's events, dispatcher and tests). */
    ZkSpace space() {
        return space;
    }

    /** Any existing lock, whatever its options; a new one gets the defaults. */
    @Override
    public NamedLock lock(String lockName) {
        String objectPath = space.objectPath(lockName);
        space.register(lockName, ObjectKind.LOCK, options(LockOptions.defaults()));
        return plainLock(lockName, objectPath);
    }

    /**
     * The options are recorded and must match everywhere, as in shared memory, but Curator's lock
     * has one behaviour for all: FIFO (like {@link io.futexra.LockPolicy#FAIR}), no spinning.
     */
    @Override
    public NamedLock lock(String lockName, LockOptions options) {
        String objectPath = space.objectPath(lockName);
        String found = space.register(lockName, ObjectKind.LOCK, options(options));
        if (!found.equals(options(options))) {
            throw new IllegalArgumentException("lock '" + lockName + "' in space '" + name() + "' exists with " + found
                    + ", not " + options(options) + ": every process must use the options it was created with");
        }
        return plainLock(lockName, objectPath);
    }

    private NamedLock plainLock(String lockName, String objectPath) {
        String dir = objectPath + "/lock";
        CuratorFramework client = space.client();
        List<ACL> acl = space.shared().acl();
        return new ZkNamedLock(space, lockName, new ZkNamedLock.Recipe("lock '" + lockName + "'", objectPath,
                null, () -> new ZkMutex(client, dir, acl), m -> ((ZkMutex) m).lockNode(), true, () -> false, null));
    }

    private static String options(LockOptions options) {
        return options.policy() + " spin=" + options.spinLimit();
    }

    @Override
    public NamedReadWriteLock readWriteLock(String lockName) {
        String objectPath = space.objectPath(lockName);
        space.register(lockName, ObjectKind.READ_WRITE_LOCK, "");
        return new ZkReadWriteLock(space, lockName, objectPath);
    }

    @Override
    public NamedSemaphore semaphore(String semaphoreName, int permits) {
        if (permits < 1 || permits > NamedSemaphore.MAX_PERMITS) {
            throw new IllegalArgumentException("semaphore '" + semaphoreName + "': permits must be 1 to "
                    + NamedSemaphore.MAX_PERMITS + ", not " + permits);
        }
        String objectPath = space.objectPath(semaphoreName);
        String found = space.register(semaphoreName, ObjectKind.SEMAPHORE, Integer.toString(permits));
        if (!found.equals(Integer.toString(permits))) {
            throw new IllegalArgumentException("semaphore '" + semaphoreName + "' in space '" + name() + "' exists with "
                    + found + " permits, not " + permits + ": use the same count everywhere, or another name");
        }
        return new ZkSemaphore(space, semaphoreName, objectPath, permits);
    }

    @Override
    public NamedEvent event(String eventName, EventMode mode) {
        space.checkOpen();
        return new ZkNamedEvent(space, eventName, mode);
    }

    @Override
    public Dispatcher dispatcher(Dispatcher.Promoter promoter) {
        space.checkOpen();
        return new ZkDispatcher(promoter);
    }

    @Override
    public List<ObjectInfo> objects() {
        space.checkOpen();
        return ZkObjects.read(space);
    }

    @Override
    public void close() {
        if (space.markClosed()) {
            space.shared().release();
        }
    }

    @Override
    public String toString() {
        return "ZkLockSpace[" + space + "]";
    }
}
