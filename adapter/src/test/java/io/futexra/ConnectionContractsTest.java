package io.futexra;

import io.futexra.jca.ConnectionSpace;
import io.futexra.testing.SpaceOpener;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * The semaphore contract run against a {@link io.futexra.jca.ConnectionSemaphore} of an unmanaged
 * JCA connection, here and in the children: a connection's permits are the process's, returned by
 * any of its threads (the lock contract's connection variant is in {@link SharedMemoryLockContractTest}).
 */
class ConnectionContractsTest {

    @Nested
    class Permits extends SemaphoreContract {
        @Override
        protected URI spaceUri(String spaceName) {
            return LockSpace.sharedMemory(scratchDirectory(), spaceName); // the space the connection factory opens
        }

        @Override
        protected LockSpace openSpace(String spaceName) {
            return ConnectionSpace.open(scratchDirectory(), spaceName);
        }

        @Override
        protected List<String> childSpaceArgs(String spaceName) {
            return SpaceOpener.args(ConnectionSpace.Opener.class, scratchDirectory().toString(), spaceName);
        }

        @Override
        protected boolean processOwnedPermits() {
            return true;
        }
    }
}
