package io.futexra.zookeeper;

import io.futexra.EventContract;
import io.futexra.LockSpace;
import java.net.URI;

/**
 * The backend-neutral event contract against the ZooKeeper backend on the module's real test
 * server, with child JVMs that open the same space by URI (as {@link ZooKeeperContractsTest} does
 * for locks, semaphores and read/write locks).
 */
class ZooKeeperEventContractTest extends EventContract {

    private final String prefix = ZooKeeperContractsTest.prefix();

    @Override
    protected URI spaceUri(String spaceName) {
        return ZooKeeperContractsTest.uri(prefix, spaceName);
    }

    /**
     * A ZooKeeper event's waiters are watches, which the client keeps and no server counts, so
     * there is nothing to wait for: the contract's children have said WAITING or READY before it
     * asks, and none of its assertions needs a waiter already asleep — a waiter that has not set its
     * watch yet reads the event's state first (and an interrupted one throws before reading).
     */
    @Override
    protected void awaitWaiters(LockSpace space, String name, int n) {
        // nothing to count; see above
    }
}
