package io.futexra.kit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one process measures of one lock, which its space does not record: timeouts, wait times
 * of acquisitions that had to wait, and sampled hold times. Written only on slow paths (a wait,
 * a timeout, one release in {@link io.futexra.LockStatistics#HOLD_SAMPLE_INTERVAL}). A lock's
 * figures also record into its space's ({@code total}), so that the space's totals are read
 * without visiting every lock's buckets.
 */
public final class LockFigures {

    private final AtomicLong timeouts = new AtomicLong();
    private final TimeRecorder waits = new TimeRecorder();
    private final TimeRecorder holds = new TimeRecorder();
    private final LockFigures total;

    /** A space's totals: records into nothing else. */
    LockFigures() {
        this(null);
    }

    /** @param total the space's totals, also recorded into, or {@code null} */
    LockFigures(LockFigures total) {
        this.total = total;
    }

    /**
     * An acquisition that waited and got the lock.
     *
     * @param nanos how long it waited
     */
    public void waited(long nanos) {
        waits.record(nanos);
        if (total != null) {
            total.waited(nanos);
        }
    }

    /** An acquisition that gave up at its timeout. */
    public void timedOut() {
        timeouts.incrementAndGet();
        if (total != null) {
            total.timedOut();
        }
    }

    /**
     * A sampled hold, measured at its release.
     *
     * @param nanos how long the lock was held
     */
    public void held(long nanos) {
        holds.record(nanos);
        if (total != null) {
            total.held(nanos);
        }
    }

    /** {@return acquisitions that timed out} */
    public long timeouts() {
        return timeouts.get();
    }

    /** {@return the wait times recorded} */
    public TimeRecorder waits() {
        return waits;
    }

    /** {@return the hold times recorded} */
    public TimeRecorder holds() {
        return holds;
    }
}
