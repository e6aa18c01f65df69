package io.futexra.jmx;

import io.futexra.LockStatistics;
import io.futexra.SpaceStatistics;
import io.futexra.TimeDistribution;
import java.beans.ConstructorProperties;

/**
 * Figures in JMX form (an MXBean maps it to {@code CompositeData}): a space's totals
 * ({@link SpaceStatistics}) or one object's ({@link LockStatistics}), distributions as count,
 * total, p50, p99 and maximum in nanoseconds.
 */
public final class FiguresState {
    private final String name;
    private final String kind;
    private final long acquisitions;
    private final long contendedAcquisitions;
    private final long ownerDeaths;
    private final int holders;
    private final int waiters;
    private final long timeouts;
    private final long waitCount;
    private final long waitTotalNanos;
    private final long waitP50Nanos;
    private final long waitP99Nanos;
    private final long waitMaxNanos;
    private final long holdCount;
    private final long holdTotalNanos;
    private final long holdP50Nanos;
    private final long holdP99Nanos;
    private final long holdMaxNanos;

    /**
     * Figures, each argument as the getter of the same name returns it (the MXBean framework
     * rebuilds a {@code FiguresState} from {@code CompositeData} through this).
     *
     * @param name see {@link #getName()}
     * @param kind see {@link #getKind()}
     * @param acquisitions see {@link #getAcquisitions()}
     * @param contendedAcquisitions see {@link #getContendedAcquisitions()}
     * @param ownerDeaths see {@link #getOwnerDeaths()}
     * @param holders see {@link #getHolders()}
     * @param waiters see {@link #getWaiters()}
     * @param timeouts see {@link #getTimeouts()}
     * @param waitCount see {@link #getWaitCount()}
     * @param waitTotalNanos see {@link #getWaitTotalNanos()}
     * @param waitP50Nanos see {@link #getWaitP50Nanos()}
     * @param waitP99Nanos see {@link #getWaitP99Nanos()}
     * @param waitMaxNanos see {@link #getWaitMaxNanos()}
     * @param holdCount see {@link #getHoldCount()}
     * @param holdTotalNanos see {@link #getHoldTotalNanos()}
     * @param holdP50Nanos see {@link #getHoldP50Nanos()}
     * @param holdP99Nanos see {@link #getHoldP99Nanos()}
     * @param holdMaxNanos see {@link #getHoldMaxNanos()}
     */
    @ConstructorProperties({"name", "kind", "acquisitions", "contendedAcquisitions", "ownerDeaths", "holders", "waiters", "timeouts", "waitCount", "waitTotalNanos", "waitP50Nanos", "waitP99Nanos", "waitMaxNanos", "holdCount", "holdTotalNanos", "holdP50Nanos", "holdP99Nanos", "holdMaxNanos"})
    public FiguresState(String name, String kind, long acquisitions, long contendedAcquisitions, long ownerDeaths, int holders, int waiters, long timeouts, long waitCount, long waitTotalNanos, long waitP50Nanos, long waitP99Nanos, long waitMaxNanos, long holdCount, long holdTotalNanos, long holdP50Nanos, long holdP99Nanos, long holdMaxNanos) {
        this.name = name;
        this.kind = kind;
        this.acquisitions = acquisitions;
        this.contendedAcquisitions = contendedAcquisitions;
        this.ownerDeaths = ownerDeaths;
        this.holders = holders;
        this.waiters = waiters;
        this.timeouts = timeouts;
        this.waitCount = waitCount;
        this.waitTotalNanos = waitTotalNanos;
        this.waitP50Nanos = waitP50Nanos;
        this.waitP99Nanos = waitP99Nanos;
        this.waitMaxNanos = waitMaxNanos;
        this.holdCount = holdCount;
        this.holdTotalNanos = holdTotalNanos;
        this.holdP50Nanos = holdP50Nanos;
        this.holdP99Nanos = holdP99Nanos;
        this.holdMaxNanos = holdMaxNanos;
    }

    static FiguresState of(SpaceStatistics s) {
        return of(s.space(), "SPACE", s.acquisitions(), s.contendedAcquisitions(), s.ownerDeaths(), s.holders(),
                s.waiters(), s.timeouts(), s.waitTime(), s.holdTime());
    }

    static FiguresState of(LockStatistics l) {
        return of(l.name(), l.kind().name(), l.acquisitions(), l.contendedAcquisitions(), l.ownerDeaths(), l.holders(),
                l.waiters(), l.timeouts(), l.waitTime(), l.holdTime());
    }

    private static FiguresState of(String name, String kind, long acquisitions, long contended, long deaths,
                                   int holders, int waiters, long timeouts, TimeDistribution wait,
                                   TimeDistribution hold) {
        return new FiguresState(name, kind, acquisitions, contended, deaths, holders, waiters, timeouts, wait.count(),
                wait.totalNanos(), wait.p50Nanos(), wait.p99Nanos(), wait.maxNanos(), hold.count(), hold.totalNanos(),
                hold.p50Nanos(), hold.p99Nanos(), hold.maxNanos());
    }

    /** {@return the space's name (space totals) or the object's name} */
    public String getName() {
        return name;
    }

    /** {@return {@code SPACE} for a space's totals, else the object's kind ({@code LOCK}, {@code READ_WRITE_LOCK}, {@code SEMAPHORE}, {@code EVENT})} */
    public String getKind() {
        return kind;
    }

    /** {@return acquisitions by every process since the space was created (events: signals)} */
    public long getAcquisitions() {
        return acquisitions;
    }

    /** {@return acquisitions, by every process, that had to spin or sleep for another holder} */
    public long getContendedAcquisitions() {
        return contendedAcquisitions;
    }

    /** {@return acquisitions, by every process, that found the previous owner dead} */
    public long getOwnerDeaths() {
        return ownerDeaths;
    }

    /** {@return holds now (see {@link io.futexra.LockStatistics#holders()})} */
    public int getHolders() {
        return holders;
    }

    /** {@return threads asleep waiting now, in every process} */
    public int getWaiters() {
        return waiters;
    }

    /** {@return acquisitions in this process that gave up at their timeout} */
    public long getTimeouts() {
        return timeouts;
    }

    /** {@return acquisitions in this process that had to wait (and got the lock)} */
    public long getWaitCount() {
        return waitCount;
    }

    /** {@return the total of those waits, in nanoseconds} */
    public long getWaitTotalNanos() {
        return waitTotalNanos;
    }

    /** {@return the median of those waits, in nanoseconds (within a factor of two)} */
    public long getWaitP50Nanos() {
        return waitP50Nanos;
    }

    /** {@return the 99th percentile of those waits, in nanoseconds (within a factor of two)} */
    public long getWaitP99Nanos() {
        return waitP99Nanos;
    }

    /** {@return the longest of those waits, in nanoseconds} */
    public long getWaitMaxNanos() {
        return waitMaxNanos;
    }

    /** {@return holds sampled in this process (one acquisition in {@value io.futexra.LockStatistics#HOLD_SAMPLE_INTERVAL})} */
    public long getHoldCount() {
        return holdCount;
    }

    /** {@return the total of the sampled holds, in nanoseconds (coarse clock, about 10 ms resolution)} */
    public long getHoldTotalNanos() {
        return holdTotalNanos;
    }

    /** {@return the median sampled hold, in nanoseconds} */
    public long getHoldP50Nanos() {
        return holdP50Nanos;
    }

    /** {@return the 99th percentile of the sampled holds, in nanoseconds} */
    public long getHoldP99Nanos() {
        return holdP99Nanos;
    }

    /** {@return the longest sampled hold, in nanoseconds} */
    public long getHoldMaxNanos() {
        return holdMaxNanos;
    }
}
