package io.futexra;

import io.futexra.testing.ShmSpaceOpener;
import io.futexra.testing.SpaceOpener;
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
            return SpaceOpener.args(ShmSpaceOpener.class, scratchDirectory().toString(), spaceName);
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
            return SpaceOpener.args(ShmSpaceOpener.class, scratchDirectory().toString(), spaceName);
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
            return SpaceOpener.args(ShmSpaceOpener.class, scratchDirectory().toString(), spaceName);
        }
    }
}
