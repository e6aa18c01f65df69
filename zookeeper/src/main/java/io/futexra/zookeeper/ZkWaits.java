package io.futexra.zookeeper;

import io.futexra.LockInterruptedException;
import io.futexra.LockTimeoutException;
import io.futexra.kit.Timeouts;
import java.time.Duration;

/** How every acquire in a ZooKeeper space reads its timeout and reports the end of a wait. */
final class ZkWaits {

    private ZkWaits() {
    }

    /** {@code timeout} in nanoseconds, 0 if negative (try once), saturated if huge. */
    static long nanos(Duration timeout) {
        return Math.max(0, Timeouts.saturatedNanos(timeout));
    }

    /**
     * What a Curator wait's exception means: an interrupt (the flag set again, since
     * {@link LockInterruptedException} promises it) or a ZooKeeper failure.
     */
    static RuntimeException failed(ZkSpace space, String what, Exception e) {
        if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            return new LockInterruptedException("interrupted while waiting for " + what + " in space '" + space.name()
                    + "'; nothing is held");
        }
        if (e instanceof org.apache.zookeeper.KeeperException.ConnectionLossException
                || e instanceof org.apache.zookeeper.KeeperException.OperationTimeoutException) {
            return space.shared().unavailable("acquire " + what + " in space '" + space.name() + "'");
        }
        return space.failure("acquire " + what, e);
    }

    static LockTimeoutException timedOut(ZkSpace space, String what, long nanos) {
        return new LockTimeoutException("timed out after " + Duration.ofNanos(nanos).toMillis() + " ms waiting for "
                + what + " in space '" + space.name() + "'; nothing is held");
    }
}
