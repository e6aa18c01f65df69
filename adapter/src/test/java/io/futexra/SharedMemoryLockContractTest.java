package io.futexra;

import io.futexra.testing.LockVariant;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** {@link LockContract} run against every exclusive hold of the shared-memory backend. */
class SharedMemoryLockContractTest {

    /** One variant: acquisitions through {@link LockVariant}. */
    abstract static class Variant extends LockContract {
        private final LockVariant variant;

        Variant(LockVariant variant) {
            this.variant = variant;
        }

        @Override
        protected Held acquire(LockSpace space, String name, Duration timeout) {
            return variant.acquire(space, name, timeout);
        }

        @Override
        protected Optional<Held> tryAcquire(LockSpace space, String name) {
            return variant.tryAcquire(space, name);
        }

        @Override
        protected boolean threadOwned() {
            return variant.threadOwned();
        }

        @Override
        protected String childVariant() {
            return variant.name();
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
}
