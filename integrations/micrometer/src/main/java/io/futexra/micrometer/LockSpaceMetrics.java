package io.futexra.micrometer;

import io.futexra.LockSpace;
import io.futexra.LockStatistics;
import io.futexra.SpaceStatistics;
import io.futexra.TimeDistribution;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Registers a lock space's figures ({@link LockSpace#statistics(Set, int)}) with a
 * {@link MeterRegistry}: the space's totals, tagged {@code space}, and the same figures per lock
 * for the lock names given, tagged {@code space} and {@code lock}, so the number of series is
 * fixed when the binder is made (a lock not yet created reads 0).
 *
 * <p>Meters, in Micrometer's names (Prometheus: dots become underscores, counters end in
 * {@code _total}, times in {@code _seconds}):
 * <ul>
 * <li>{@code futexra.acquisitions}, {@code futexra.acquisitions.contended},
 *     {@code futexra.owner.deaths} (function counters: every process's, from the space);
 *     {@code futexra.timeouts} (function counter: this process's);</li>
 * <li>{@code futexra.holders}, {@code futexra.waiters} (gauges, now, every process);
 *     {@code futexra.objects} (gauge, space only);</li>
 * <li>{@code futexra.wait} and {@code futexra.hold} (function timers: count and total of this
 *     process's waits, and of its sampled holds) with {@code futexra.wait.p50},
 *     {@code futexra.wait.p99}, {@code futexra.wait.max} and the same for {@code hold}
 *     (time gauges).</li>
 * </ul>
 *
 * <p>Every meter of one binder reads one snapshot of the figures, taken again when it is older
 * than the binder's maximum age (1 second unless given): a scrape reads the space once.
 */
public final class LockSpaceMetrics implements MeterBinder {

    private final LockSpace space;
    private final Set<String> locks;
    private final Iterable<Tag> tags;
    private final long maxAgeNanos;
    private volatile Snapshot snapshot;

    /** One read of the space's figures, with the selected locks by name. */
    private record Snapshot(long readAtNanos, SpaceStatistics space, Map<String, LockStatistics> locks) {
    }

    /**
     * The space's totals only, no per-lock meters.
     *
     * @param space the space whose figures to register; it is read, never changed
     */
    public LockSpaceMetrics(LockSpace space) {
        this(space, Set.of(), Tags.empty(), Duration.ofSeconds(1));
    }

    /**
     * The space's totals and per-lock meters for {@code locks}.
     *
     * @param space the space whose figures to register; it is read, never changed
     * @param locks the locks (or other objects) to give per-lock meters
     * @param tags tags added to every meter
     * @param maxAge how old a snapshot of the figures may be before a meter reads the space again
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code maxAge} is negative
     */
    public LockSpaceMetrics(LockSpace space, Set<String> locks, Iterable<Tag> tags, Duration maxAge) {
        this.space = Objects.requireNonNull(space, "space");
        this.locks = new TreeSet<>(Objects.requireNonNull(locks, "locks"));
        this.tags = Objects.requireNonNull(tags, "tags");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("a snapshot's maximum age cannot be negative: " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags spaceTags = Tags.concat(tags, "space", space.name());
        Gauge.builder("futexra.objects", this, m -> m.read().space().objects())
                .description("objects the space holds").tags(spaceTags).register(registry);
        register(registry, spaceTags, m -> new Figures(m.read().space()));
        for (String lock : locks) {
            register(registry, spaceTags.and("lock", lock), m -> m.figuresOf(lock));
        }
    }

    /** The figures one set of meters shows: a space's totals or one lock's. */
    private record Figures(long acquisitions, long contended, long ownerDeaths, long timeouts, int holders,
                           int waiters, TimeDistribution waitTime, TimeDistribution holdTime) {

        static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, TimeDistribution.empty(), TimeDistribution.empty());

        Figures(SpaceStatistics s) {
            this(s.acquisitions(), s.contendedAcquisitions(), s.ownerDeaths(), s.timeouts(), s.holders(), s.waiters(),
                    s.waitTime(), s.holdTime());
        }

        Figures(LockStatistics l) {
            this(l.acquisitions(), l.contendedAcquisitions(), l.ownerDeaths(), l.timeouts(), l.holders(), l.waiters(),
                    l.waitTime(), l.holdTime());
        }
    }

    private Figures figuresOf(String lock) {
        LockStatistics l = read().locks().get(lock);
        return l == null ? Figures.NONE : new Figures(l);
    }

    private void register(MeterRegistry registry, Tags tags, java.util.function.Function<LockSpaceMetrics, Figures> of) {
        counter(registry, tags, "futexra.acquisitions", "acquisitions by every process", of, Figures::acquisitions);
        counter(registry, tags, "futexra.acquisitions.contended",
                "acquisitions, by every process, that had to wait for another holder", of, Figures::contended);
        counter(registry, tags, "futexra.owner.deaths", "acquisitions that found the previous owner dead", of,
                Figures::ownerDeaths);
        counter(registry, tags, "futexra.timeouts", "acquisitions in this process that timed out", of,
                Figures::timeouts);
        Gauge.builder("futexra.holders", this, m -> of.apply(m).holders())
                .description("holds now, every process").tags(tags).register(registry);
        Gauge.builder("futexra.waiters", this, m -> of.apply(m).waiters())
                .description("threads waiting now, every process").tags(tags).register(registry);
        times(registry, tags, "futexra.wait", "waits of acquisitions in this process that had to wait", m -> of.apply(m).waitTime());
        times(registry, tags, "futexra.hold", "holds in this process, sampled, coarse clock", m -> of.apply(m).holdTime());
    }

    private void counter(MeterRegistry registry, Tags tags, String name, String description,
                         java.util.function.Function<LockSpaceMetrics, Figures> of, ToLongFunction<Figures> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsLong(of.apply(m)))
                .description(description).tags(tags).register(registry);
    }

    private void times(MeterRegistry registry, Tags tags, String name, String description,
                       java.util.function.Function<LockSpaceMetrics, TimeDistribution> of) {
        FunctionTimer.builder(name, this, m -> of.apply(m).count(), m -> of.apply(m).totalNanos(), TimeUnit.NANOSECONDS)
                .description(description).tags(tags).register(registry);
        timeGauge(registry, tags, name + ".p50", description + ": median (within a factor of two)", of, TimeDistribution::p50Nanos);
        timeGauge(registry, tags, name + ".p99", description + ": 99th percentile (within a factor of two)", of, TimeDistribution::p99Nanos);
        timeGauge(registry, tags, name + ".max", description + ": longest", of, TimeDistribution::maxNanos);
    }

    private void timeGauge(MeterRegistry registry, Tags tags, String name, String description,
                           java.util.function.Function<LockSpaceMetrics, TimeDistribution> of,
                           ToLongFunction<TimeDistribution> nanos) {
        ToDoubleFunction<LockSpaceMetrics> value = m -> nanos.applyAsLong(of.apply(m));
        TimeGauge.builder(name, this, TimeUnit.NANOSECONDS, value).description(description).tags(tags).register(registry);
    }

    /** The figures, read again if the last read is older than the maximum age. */
    private Snapshot read() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s == null || now - s.readAtNanos() > maxAgeNanos) {
            SpaceStatistics stats = space.statistics(locks, 0);
            Map<String, LockStatistics> byName = new HashMap<>();
            for (LockStatistics l : stats.selected()) {
                byName.put(l.name(), l);
            }
            s = new Snapshot(now, stats, byName);
            snapshot = s;
        }
        return s;
    }
}
