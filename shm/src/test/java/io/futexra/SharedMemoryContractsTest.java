package io.futexra;

import java.net.URI;
import org.junit.jupiter.api.Nested;

/**
 * The semaphore, read/write and event contracts run against the shared-memory backend (the lock
 * contract's variants are in {@link SharedMemoryLockContractTest}).
 */
class SharedMemoryContractsTest {

    @Nested
    class Semaphores extends SemaphoreContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }
    }

    /** Permits taken with {@code acquireForProcess}. */
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
    }

    @Nested
    class ReadHolds extends ReadWriteContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }
    }

    @Nested
    class Events extends EventContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName);
        }
    }
}
