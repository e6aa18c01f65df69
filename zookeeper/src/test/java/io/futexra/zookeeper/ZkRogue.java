package io.futexra.zookeeper;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Another ZooKeeper client, a plain Curator one as an operator's cleanup script would be, that
 * deletes lock nodes: for the drop-ins' loss tests (this module's test jar).
 */
public final class ZkRogue implements AutoCloseable {

    private final CuratorFramework client;

    /**
     * Connects to {@code connectString}.
     *
     * @param connectString the ensemble
     * @throws InterruptedException if interrupted while connecting
     */
    public ZkRogue(String connectString) throws InterruptedException {
        client = CuratorFrameworkFactory.newClient(connectString, new RetryOneTime(100));
        client.start();
        if (!client.blockUntilConnected(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the rogue client did not connect to " + connectString);
        }
    }

    /**
     * Deletes every ephemeral znode under {@code path}.
     *
     * @param path where to start
     * @return how many were deleted
     * @throws Exception what Curator throws
     */
    public int deleteEphemeralsUnder(String path) throws Exception {
        int deleted = 0;
        List<String> children;
        try {
            children = client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return 0;
        }
        for (String child : children) {
            String childPath = path + "/" + child;
            Stat stat = client.checkExists().forPath(childPath);
            if (stat == null) {
                continue;
            }
            if (stat.getEphemeralOwner() != 0) {
                client.delete().forPath(childPath);
                deleted++;
            } else {
                deleted += deleteEphemeralsUnder(childPath);
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        client.close();
    }
}
