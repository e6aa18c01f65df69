package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeDistributionTest {

    private static TimeDistribution of(long... values) {
        long[] counts = new long[TimeDistribution.BUCKETS];
        long total = 0;
        long max = 0;
        for (long v : values) {
            counts[TimeDistribution.bucketOf(v)]++;
            total += v;
            max = Math.max(max, v);
        }
        return TimeDistribution.of(counts, total, max);
    }

    @Test
    void shouldPutEachValueInThePowerOfTwoBucketThatHoldsIt() {
        assertEquals(0, TimeDistribution.bucketOf(0));
        assertEquals(0, TimeDistribution.bucketOf(-5));
        assertEquals(1, TimeDistribution.bucketOf(1));
        assertEquals(2, TimeDistribution.bucketOf(2));
        assertEquals(2, TimeDistribution.bucketOf(3));
        assertEquals(11, TimeDistribution.bucketOf(1024));
        assertEquals(63, TimeDistribution.bucketOf(Long.MAX_VALUE));
        for (int b = 1; b < 63; b++) {
            assertEquals(b, TimeDistribution.bucketOf(TimeDistribution.upperBoundNanos(b)));
            assertEquals(b + 1, TimeDistribution.bucketOf(TimeDistribution.upperBoundNanos(b) + 1));
        }
    }

    @Test
    void shouldReadPercentilesWithinAFactorOfTwoAndNeverAboveTheMaximum() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = (i + 1) * 1000L;
        }
        TimeDistribution d = of(values);
        assertEquals(100, d.count());
        assertEquals(5_050_000, d.totalNanos());
        assertEquals(100_000, d.maxNanos());
        long p50 = d.p50Nanos();
        assertEquals(true, p50 >= 50_000 && p50 < 100_000, "p50 " + p50);
        assertEquals(100_000, d.p99Nanos()); // bucket bound 131071, capped by the maximum
        assertEquals(0, TimeDistribution.empty().p99Nanos());
        assertThrows(IllegalArgumentException.class, () -> d.percentileNanos(1.5));
    }

    @Test
    void shouldMergeBucketByBucket() {
        TimeDistribution merged = of(1, 2, 3).plus(of(1000));
        assertEquals(of(1, 2, 3, 1000), merged);
        assertEquals(4, merged.count());
        assertEquals(1000, merged.maxNanos());
    }

    @Test
    void shouldTotalEveryObjectAndSelectTheNamedThenTheHottest() {
        ObjectInfo a = info("a", 10, 0);
        ObjectInfo b = info("b", 5, 5);
        ObjectInfo c = info("c", 7, 1);
        List<LockStatistics> all = List.of(LockStatistics.of(a), LockStatistics.of(b),
                LockStatistics.of(c, 2, of(5_000_000), TimeDistribution.empty()));
        SpaceStatistics s = SpaceStatistics.of("space", all, Set.of("a"), 1);
        assertEquals(22, s.acquisitions());
        assertEquals(6, s.contendedAcquisitions());
        assertEquals(2, s.timeouts());
        assertEquals(3, s.objects());
        assertEquals(List.of("a", "c"), s.selected().stream().map(LockStatistics::name).toList());
        assertThrows(IllegalArgumentException.class, () -> SpaceStatistics.of("space", all, Set.of(), -1));
    }

    private static ObjectInfo info(String name, long acquisitions, long contended) {
        return new ObjectInfo(name, ObjectKind.LOCK, 0, 0, null, null, 0, 0, acquisitions, contended, 0, acquisitions,
                false, LockPolicy.GREEDY, 0, 0, 0, false, null);
    }
}
