package io.futexra.kit;

import io.futexra.TimeDistribution;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records durations into {@link TimeDistribution}'s power-of-two buckets: one atomic increment,
 * one atomic add (none for a zero, the common hold time on a coarse clock) and, rarely, a maximum
 * raised. A {@link #snapshot()} taken while values are
 * recorded may count a value in its bucket but not yet in the total (or the other way round).
 */
public final class TimeRecorder {

    private final AtomicLongArray counts = new AtomicLongArray(TimeDistribution.BUCKETS);
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();

    /**
     * Counts one duration.
     *
     * @param nanos the duration; a negative one (a clock that stepped back) counts as zero
     */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(TimeDistribution.bucketOf(value));
        if (value != 0) {
            totalNanos.addAndGet(value);
        }
        long max = maxNanos.get();
        while (value > max && !maxNanos.compareAndSet(max, value)) {
            max = maxNanos.get();
        }
    }

    /** {@return what was recorded so far} */
    public TimeDistribution snapshot() {
        long[] copy = new long[TimeDistribution.BUCKETS];
        addTo(copy);
        return TimeDistribution.of(copy, totalNanos.get(), maxNanos.get());
    }

    /**
     * Adds the bucket counts recorded so far to {@code sum}, allocating nothing.
     *
     * @param sum {@link TimeDistribution#BUCKETS} counts to add to
     */
    public void addTo(long[] sum) {
        for (int i = 0; i < TimeDistribution.BUCKETS; i++) {
            sum[i] += counts.get(i);
        }
    }

    /** {@return the sum of the values recorded so far, in nanoseconds} */
    public long totalNanos() {
        return totalNanos.get();
    }

    /** {@return the largest value recorded so far, in nanoseconds; 0 when none} */
    public long maxNanos() {
        return maxNanos.get();
    }
}
