package io.futexra;

import io.futexra.testing.SpaceOpener;
import io.futexra.testing.UriSpaceOpener;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * The semaphore, read/write and event contracts run against the shared-memory backend (the lock
 * contract's variants are in {@link SharedMemoryLockContractTest}).
 */
class SharedMemoryContractsTest {

    @Nested
    class Semaphores extends SemaphoreContract {
        @Override
        protected LockSpace openSpace(String spaceName) {
            return LockSpace.open(scratchDirectory(), spaceName);
        }

        @Override
        protected List<String> childSpaceArgs(String spaceName) {
            return SpaceOpener.args(UriSpaceOpener.class, LockSpace.sharedMemory(scratchDirectory(), spaceName).toString());
        }
    }

    @Nested
    class ReadHolds extends ReadWriteContract {
        @Override
        protected LockSpace openSpace(String spaceName) {
            return LockSpace.open(scratchDirectory(), spaceName);
        }

        @Override
        protected List<String> childSpaceArgs(String spaceName) {
            return SpaceOpener.args(UriSpaceOpener.class, LockSpace.sharedMemory(scratchDirectory(), spaceName).toString());
        }
    }

    @Nested
    class Events extends EventContract {
        @Override
        protected LockSpace openSpace(String spaceName) {
            return LockSpace.open(scratchDirectory(), spaceName);
        }

        @Override
        protected List<String> childSpaceArgs(String spaceName) {
            return SpaceOpener.args(UriSpaceOpener.class, LockSpace.sharedMemory(scratchDirectory(), spaceName).toString());
        }
    }
}
