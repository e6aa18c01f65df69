package io.futexra;

import java.util.Arrays;

/**
 * A distribution of durations in nanoseconds over fixed power-of-two buckets: bucket 0 counts
 * zero, bucket {@code i} (1 to 63) counts values from {@code 2^(i-1)} to {@code 2^i - 1}. A
 * percentile is read as the upper bound of the bucket that holds its rank, capped by the largest
 * value seen, so it is exact to within a factor of two; {@link #maxNanos()} and
 * {@link #totalNanos()} are exact.
 *
 * <p>Immutable; {@link #plus(TimeDistribution)} merges two distributions bucket by bucket.
 */
public final class TimeDistribution {

    /** How many buckets a distribution has. */
    public static final int BUCKETS = 64;

    private static final TimeDistribution EMPTY = new TimeDistribution(new long[BUCKETS], 0, 0);

    private final long[] counts;
    private final long count;
    private final long totalNanos;
    private final long maxNanos;

    private TimeDistribution(long[] counts, long totalNanos, long maxNanos) {
        this.counts = counts;
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        this.count = n;
        this.totalNanos = totalNanos;
        this.maxNanos = maxNanos;
    }

    /** {@return the distribution of no values} */
    public static TimeDistribution empty() {
        return EMPTY;
    }

    /**
     * A distribution from its bucket counts.
     *
     * @param counts {@link #BUCKETS} counts, bucket {@code i} as {@link #bucketOf(long)} assigns; copied
     * @param totalNanos the sum of the values counted
     * @param maxNanos the largest value counted (0 when none)
     * @return the distribution
     * @throws IllegalArgumentException if there are not {@link #BUCKETS} counts or one is negative
     */
    public static TimeDistribution of(long[] counts, long totalNanos, long maxNanos) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("a time distribution has " + BUCKETS + " buckets, not " + counts.length);
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a bucket count cannot be negative: " + c);
            }
        }
        return new TimeDistribution(counts.clone(), totalNanos, maxNanos);
    }

    /**
     * The bucket a value falls in.
     *
     * @param nanos a duration in nanoseconds; a negative one counts as zero
     * @return 0 for zero, else {@code 64 - numberOfLeadingZeros(nanos)}
     */
    public static int bucketOf(long nanos) {
        return nanos <= 0 ? 0 : Long.SIZE - Long.numberOfLeadingZeros(nanos);
    }

    /**
     * The largest value a bucket holds.
     *
     * @param bucket 0 to {@code BUCKETS - 1}
     * @return {@code 2^bucket - 1}
     */
    public static long upperBoundNanos(int bucket) {
        return bucket >= 63 ? Long.MAX_VALUE : (1L << bucket) - 1;
    }

    /** {@return how many values were counted} */
    public long count() {
        return count;
    }

    /** {@return the sum of the values counted, in nanoseconds} */
    public long totalNanos() {
        return totalNanos;
    }

    /** {@return the largest value counted, in nanoseconds; 0 when none} */
    public long maxNanos() {
        return maxNanos;
    }

    /** {@return the median, in nanoseconds (see {@link #percentileNanos(double)})} */
    public long p50Nanos() {
        return percentileNanos(0.50);
    }

    /** {@return the 99th percentile, in nanoseconds (see {@link #percentileNanos(double)})} */
    public long p99Nanos() {
        return percentileNanos(0.99);
    }

    /**
     * The value below which a fraction of the values fall, as the upper bound of its bucket capped
     * by the maximum.
     *
     * @param fraction 0 to 1
     * @return the percentile in nanoseconds; 0 when no value was counted
     * @throws IllegalArgumentException if {@code fraction} is not 0 to 1
     */
    public long percentileNanos(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a percentile's fraction is 0 to 1, not " + fraction);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBoundNanos(i), maxNanos);
            }
        }
        return maxNanos;
    }

    /** {@return a copy of the {@link #BUCKETS} bucket counts} */
    public long[] bucketCounts() {
        return counts.clone();
    }

    /** Adds this distribution's bucket counts to {@code sum}. */
    void addTo(long[] sum) {
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] += counts[i];
        }
    }

    /**
     * The two distributions as one.
     *
     * @param other another distribution
     * @return the bucket-wise sum, with the larger maximum
     */
    public TimeDistribution plus(TimeDistribution other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long[] sum = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] = counts[i] + other.counts[i];
        }
        return new TimeDistribution(sum, totalNanos + other.totalNanos, Math.max(maxNanos, other.maxNanos));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeDistribution d && d.totalNanos == totalNanos && d.maxNanos == maxNanos
                && Arrays.equals(d.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Long.hashCode(totalNanos);
    }

    /** {@code count=N p50=..ns p99=..ns max=..ns}. */
    @Override
    public String toString() {
        return "count=" + count + " p50=" + p50Nanos() + "ns p99=" + p99Nanos() + "ns max=" + maxNanos + "ns";
    }
}
