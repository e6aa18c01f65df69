package io.futexra.zookeeper;

import io.futexra.EventContract;
import io.futexra.LockContract;
import io.futexra.LockSpace;
import io.futexra.ReadWriteContract;
import io.futexra.SemaphoreContract;
import io.futexra.testing.LockVariant;
import java.net.URI;
import org.junit.jupiter.api.Nested;

/**
 * The backend-neutral contracts against the ZooKeeper backend with virtual threads as callers
 * (Java 21+; skipped by assumption before): each test method, the other thread, the interrupted
 * waiters and the child JVMs' callers are virtual threads ({@code ContractBase#virtualCallers}).
 * Curator tracks a lock's owner by {@code Thread}, so a virtual thread owns its holds as a
 * platform thread does; its waits are Java waits (see docs/virtual-threads.md for what they pin).
 */
class ZooKeeperVirtualThreadsTest {

    /** One lock variant on spaces of its own, from virtual threads. */
    abstract static class Variant extends LockContract {
        private final LockVariant variant;
        private final String prefix = ZooKeeperContractsTest.prefix();

        Variant(LockVariant variant) {
            this.variant = variant;
        }

        @Override
        protected URI spaceUri(String spaceName) {
            return ZooKeeperContractsTest.uri(prefix, spaceName);
        }

        @Override
        protected LockVariant variant() {
            return variant;
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class Plain extends Variant {
        Plain() {
            super(LockVariant.GREEDY);
        }
    }

    @Nested
    class WriteSide extends Variant {
        WriteSide() {
            super(LockVariant.WRITE_SIDE);
        }
    }

    @Nested
    class ProcessOwned extends Variant {
        ProcessOwned() {
            super(LockVariant.PROCESS_OWNED);
        }
    }

    @Nested
    class Semaphores extends SemaphoreContract {
        private final String prefix = ZooKeeperContractsTest.prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return ZooKeeperContractsTest.uri(prefix, spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class ReadHolds extends ReadWriteContract {
        private final String prefix = ZooKeeperContractsTest.prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return ZooKeeperContractsTest.uri(prefix, spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class Events extends EventContract {
        private final String prefix = ZooKeeperContractsTest.prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return ZooKeeperContractsTest.uri(prefix, spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }

        /** As {@link ZooKeeperEventContractTest#awaitWaiters}: watches are not counted anywhere. */
        @Override
        protected void awaitWaiters(LockSpace space, String name, int n) {
            // nothing to count
        }
    }
}
