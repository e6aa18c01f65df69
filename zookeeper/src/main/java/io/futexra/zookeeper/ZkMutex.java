package io.futexra.zookeeper;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;

/**
 * Curator's {@link InterProcessMutex}, telling which lock node the calling thread holds (for its
 * czxid, the fencing token) and writing who holds it into the node ({@link ZkHolder}).
 */
final class ZkMutex extends InterProcessMutex {

    ZkMutex(CuratorFramework client, String path) {
        super(client, path);
    }

    /** The calling thread's lock node, or null if it holds none through this instance. */
    String lockNode() {
        return getLockPath();
    }

    /** Called by the acquiring thread as it creates its lock node. */
    @Override
    protected byte[] getLockNodeBytes() {
        return ZkHolder.current().getBytes(StandardCharsets.UTF_8);
    }
}
