package io.futexra;

import io.futexra.jca.ConnectionSpace;
import io.futexra.testing.LockVariant;
import java.net.URI;
import org.junit.jupiter.api.Nested;

/**
 * {@link LockContract} run against every exclusive hold of the shared-memory backend, and against
 * a {@link io.futexra.jca.ConnectionLock} of an unmanaged JCA connection.
 */
class SharedMemoryLockContractTest {

    /** One variant on a space of the scratch directory. */
    abstract static class Variant extends LockContract {
        private final LockVariant variant;

        Variant(LockVariant variant) {
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
    }

    @Nested
    class Greedy extends Variant {
        Greedy() {
            super(LockVariant.GREEDY);
        }
    }

    @Nested
    class Fair extends Variant {
        Fair() {
            super(LockVariant.FAIR);
        }
    }

    @Nested
    class Adaptive extends Variant {
        Adaptive() {
            super(LockVariant.ADAPTIVE);
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

    /** A {@code ConnectionLock}: the lock of a connection, owned by the process, here and in the children. */
    @Nested
    class Connection extends LockContract {
        @Override
        protected SpaceSource spaceSource() {
            return ConnectionSpace.source(scratchDirectory());
        }

        @Override
        protected LockVariant variant() {
            return LockVariant.GREEDY;
        }

        @Override
        protected Ownership ownership() {
            return Ownership.CONNECTION;
        }
    }
}
