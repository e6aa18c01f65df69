package io.futexra;

import io.futexra.testing.LockVariant;
import java.net.URI;
import org.junit.jupiter.api.Nested;

/**
 * The lock, read/write, semaphore and event contracts with virtual threads as callers (Java 21+;
 * skipped, by assumption, on older JVMs): each test method runs on a virtual thread, "the other
 * thread" and the interrupted waiters are virtual threads, and the child JVMs run their callers on
 * virtual threads too (see {@link ContractBase#virtualCallers()}).
 */
class VirtualThreadContractsTest {

    /** One lock variant, called from virtual threads. */
    abstract static class VirtualLocks extends LockContract {
        private final LockVariant variant;

        VirtualLocks(LockVariant variant) {
            this.variant = variant;
        }

        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
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
    class Greedy extends VirtualLocks {
        Greedy() {
            super(LockVariant.GREEDY);
        }
    }

    @Nested
    class Fair extends VirtualLocks {
        Fair() {
            super(LockVariant.FAIR);
        }
    }

    @Nested
    class Adaptive extends VirtualLocks {
        Adaptive() {
            super(LockVariant.ADAPTIVE);
        }
    }

    @Nested
    class WriteSide extends VirtualLocks {
        WriteSide() {
            super(LockVariant.WRITE_SIDE);
        }
    }

    @Nested
    class ProcessOwned extends VirtualLocks {
        ProcessOwned() {
            super(LockVariant.PROCESS_OWNED);
        }
    }

    @Nested
    class Semaphores extends SemaphoreContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class ProcessOwnedPermits extends SemaphoreContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }

        @Override
        protected boolean processOwnedPermits() {
            return true;
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class ReadHolds extends ReadWriteContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }

    @Nested
    class Events extends EventContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }

        @Override
        protected boolean virtualCallers() {
            return true;
        }
    }
}
