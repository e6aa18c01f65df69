package io.futexra.zookeeper;

import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;

/**
 * A reader/writer lock in a ZooKeeper space, on Curator's {@link InterProcessReadWriteLock}.
 *
 * <p>Differences from shared memory: <b>arrival order</b> instead of writer preference — a writer
 * waits for the readers that queued before it, readers that come after it wait for it, so neither
 * side starves; <b>no cap</b> on reading threads; <b>owner death</b>: a writer whose session ends
 * is reported to the next writer (it claims the marker) and, until then, to readers. A reader's
 * death is not reported. Upgrade is refused ({@link IllegalStateException}). Downgrade works (a
 * writer may take the read lock, then release the write lock) but, unlike shared memory, lets no
 * other reader in until the downgraded read hold ends: see {@link ZkDowngrade} for why. A release
 * while the client is cut off from the ensemble returns without waiting for it (also
 * {@link ZkDowngrade}).
 */
final class ZkReadWriteLock implements NamedReadWriteLock {

    private final String name;
    private final ZkNamedLock readLock;
    private final ZkNamedLock writeLock;

    ZkReadWriteLock(ZkSpace space, String name, String objectPath) {
        this.name = name;
        CuratorFramework client = space.client();
        String dir = objectPath + "/rw";
        Supplier<InterProcessReadWriteLock> shared = () -> space.shared().recipe(dir,
                InterProcessReadWriteLock.class, p -> new InterProcessReadWriteLock(client, p, holderBytes()));
        ZkDowngrade downgrade = space.shared().recipe(dir, ZkDowngrade.class,
                p -> new ZkDowngrade(() -> shared.get().readLock().isOwnedByCurrentThread()));
        this.readLock = new ZkNamedLock(space, name, new ZkNamedLock.Recipe("read lock '" + name + "'", objectPath,
                () -> shared.get().readLock(),
                () -> new InterProcessReadWriteLock(client, dir, holderBytes()).readLock(),
                m -> ((InterProcessReadWriteLock.ReadLock) m).getLockPath(), false, () -> false, downgrade));
        this.writeLock = new ZkNamedLock(space, name, new ZkNamedLock.Recipe("write lock '" + name + "'", objectPath,
                () -> shared.get().writeLock(),
                () -> new InterProcessReadWriteLock(client, dir, holderBytes()).writeLock(),
                m -> ((InterProcessReadWriteLock.WriteLock) m).getLockPath(), true,
                () -> shared.get().readLock().isOwnedByCurrentThread() && !shared.get().writeLock().isOwnedByCurrentThread(),
                downgrade));
    }

    /** The process (not the thread: Curator writes one value per recipe instance) into each lock node. */
    private static byte[] holderBytes() {
        return ZkHolder.process().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NamedLock readLock() {
        return readLock;
    }

    @Override
    public NamedLock writeLock() {
        return writeLock;
    }
}
