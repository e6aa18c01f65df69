package io.futexra.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;

/**
 * Curator's {@link InterProcessMutex}, telling which lock node the calling thread holds and that
 * node's czxid (the fencing token, taken from the create's own reply: no read needed), and writing
 * who holds it into the node ({@link ZkHolder}).
 */
final class ZkMutex extends InterProcessMutex {

    private final CreateStatDriver driver;

    ZkMutex(CuratorFramework client, String path) {
        this(client, path, new CreateStatDriver());
    }

    private ZkMutex(CuratorFramework client, String path, CreateStatDriver driver) {
        super(client, path, driver);
        this.driver = driver;
    }

    /** The calling thread's lock node, or null if it holds none through this instance. */
    String lockNode() {
        return getLockPath();
    }

    /** The czxid of {@code node} if this instance created it and the reply carried it, else 0 (then read it). */
    long czxidOf(String node) {
        Long czxid = driver.czxids.remove(node);
        return czxid == null ? 0 : czxid;
    }

    /** Called by the acquiring thread as it creates its lock node. */
    @Override
    protected byte[] getLockNodeBytes() {
        return ZkHolder.current().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Creates lock nodes as Curator's standard driver does (protected ephemeral sequential, parents
     * as containers) and keeps each created node's czxid from the create's reply. A create that
     * Curator retried and found by its protection id may leave the stat unfilled (czxid 0): the
     * caller then reads it.
     */
    private static final class CreateStatDriver extends StandardLockInternalsDriver {

        final Map<String, Long> czxids = new ConcurrentHashMap<>();

        @Override
        public String createsTheLock(CuratorFramework client, String path, byte[] lockNodeBytes) throws Exception {
            Stat stat = new Stat();
            String node = client.create().storingStatIn(stat).creatingParentContainersIfNeeded().withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(path, lockNodeBytes);
            if (stat.getCzxid() > 0) {
                czxids.put(node, stat.getCzxid());
            }
            return node;
        }
    }
}
