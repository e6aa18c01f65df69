package io.futexra;

import io.futexra.jca.ConnectionSpace;
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
        protected SpaceSource spaceSource() {
            return ConnectionSpace.source(scratchDirectory());
        }

        @Override
        protected boolean processOwnedPermits() {
            return true;
        }
    }
}
