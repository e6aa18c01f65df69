package io.futexra.zookeeper;

import io.futexra.LockContract;
import io.futexra.ReadWriteContract;
import io.futexra.SemaphoreContract;
import io.futexra.testing.LockVariant;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;

/**
 * The backend-neutral lock, semaphore and read/write contracts run against the ZooKeeper backend
 * on a real server ({@link ZkServers#shared()}), with child JVMs that open the same space by URI (the contracts' default).
 * Each test gets spaces of its own (a fresh prefix), with a one-second session timeout so that a
 * killed holder's lock passes on quickly. Lock variants: a plain lock, the write side of a
 * read/write lock, and process-owned holds (fair and adaptive locks behave as the plain one here).
 */
class ZooKeeperContractsTest {

    private static final AtomicInteger TESTS = new AtomicInteger();

    /** The URI of {@code spaceName} for the test with prefix {@code prefix}. */
    static URI uri(String prefix, String spaceName) {
        return URI.create("zookeeper://" + ZkServers.shared().getConnectString() + "/futex-ra-contract/" + prefix + "-"
                + spaceName + "?sessionTimeout=1s");
    }

    static String prefix() {
        return "t" + ProcessHandle.current().pid() + "-" + TESTS.incrementAndGet();
    }

    /** One lock variant on spaces of its own. */
    abstract static class Variant extends LockContract {
        private final LockVariant variant;
        private final String prefix = prefix();

        Variant(LockVariant variant) {
            this.variant = variant;
        }

        @Override
        protected URI spaceUri(String spaceName) {
            return uri(prefix, spaceName);
        }

        @Override
        protected LockVariant variant() {
            return variant;
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
        private final String prefix = prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return uri(prefix, spaceName);
        }
    }

    @Nested
    class ProcessOwnedPermits extends SemaphoreContract {
        private final String prefix = prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return uri(prefix, spaceName);
        }

        @Override
        protected boolean processOwnedPermits() {
            return true;
        }
    }

    @Nested
    class ReadHolds extends ReadWriteContract {
        private final String prefix = prefix();

        @Override
        protected URI spaceUri(String spaceName) {
            return uri(prefix, spaceName);
        }
    }
}
