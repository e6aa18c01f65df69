package io.futexra.jca;

import io.futexra.SpaceStatistics;
import io.futexra.TimeDistribution;
import java.io.Serial;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * A connection definition's space figures ({@link io.futexra.LockSpace#statistics}) as
 * IronJacamar's statistics plugin, which WildFly registers, for a managed connection factory that
 * implements {@code org.jboss.jca.core.spi.statistics.Statistics}, as the metrics of the
 * resource {@code .../connection-definitions=JNDI/statistics=extended} of the deployment, and so
 * on its {@code /metrics} endpoint.
 *
 * <p>The names are fixed (WildFly registers them once, when the definition starts): the space's
 * totals only, never a name per lock, so the number of series does not grow with the locks
 * (per-lock figures are on the space's MXBean). CamelCase, as IronJacamar's own statistics, so
 * that {@code /metrics} names them {@code wildfly_resource_adapters_extended_owner_deaths},
 * {@code ..._wait_nanos_p99}. Every value is an {@code int} or a {@code long} (WildFly types any
 * other class as a string, which its metrics leave out), times in nanoseconds.
 *
 * <p>WildFly reads one attribute per operation, so a scrape reads every name in turn: they are
 * all answered from one snapshot of the space, read again when older than {@link #MAX_AGE_NANOS}.
 * A snapshot that cannot be read (the adapter stopped, the space unreachable) leaves the last
 * values (zeros before the first).
 *
 * <p>{@link #setEnabled} and {@link #clear} do nothing: the space's counters are kept in the space
 * for every process and cost nothing to read, and the in-process figures are switched with
 * {@code -Dfutexra.statistics=false} when the space opens; {@link #isEnabled} is always true.
 */
final class DefinitionStatistics implements StatisticsPlugin {

    @Serial
    private static final long serialVersionUID = 1L;

    /** How long one snapshot answers reads: long enough for one scrape, short enough to look live. */
    static final long MAX_AGE_NANOS = 250_000_000L;

    private static final Map<String, Figure> FIGURES = new LinkedHashMap<>();

    static {
        figure("Objects", int.class, "Objects in the space", SpaceStatistics::objects);
        figure("Acquisitions", long.class, "Acquisitions of every object by every process since the space was"
                + " created (events: signals)", SpaceStatistics::acquisitions);
        figure("ContendedAcquisitions", long.class, "Acquisitions, by every process, that found the object taken"
                + " and had to spin or sleep", SpaceStatistics::contendedAcquisitions);
        figure("OwnerDeaths", long.class, "Acquisitions, by every process, that found the previous owner dead",
                SpaceStatistics::ownerDeaths);
        figure("Holders", int.class, "Holds now, over every object and process", SpaceStatistics::holders);
        figure("Waiters", int.class, "Threads asleep waiting now, over every object and process",
                SpaceStatistics::waiters);
        figure("Timeouts", long.class, "Acquisitions in this server that gave up at their timeout",
                SpaceStatistics::timeouts);
        times("Wait", "the waits of acquisitions in this server that found the lock taken", SpaceStatistics::waitTime);
        times("Hold", "holds in this server, sampled (one acquisition in 8), coarse clock (about 10 ms)",
                SpaceStatistics::holdTime);
    }

    private record Figure(Class<?> type, String description, Function<SpaceStatistics, Object> value) {
    }

    private static void figure(String name, Class<?> type, String description, Function<SpaceStatistics, Object> value) {
        FIGURES.put(name, new Figure(type, description, value));
    }

    private static void times(String prefix, String what, Function<SpaceStatistics, TimeDistribution> times) {
        figure(prefix + "Count", long.class, "How many " + what, s -> times.apply(s).count());
        figure(prefix + "NanosTotal", long.class, "Total time, in nanoseconds, of " + what,
                s -> times.apply(s).totalNanos());
        figure(prefix + "NanosP50", long.class, "Median, in nanoseconds (within a factor of two), of " + what,
                s -> times.apply(s).p50Nanos());
        figure(prefix + "NanosP99", long.class, "99th percentile, in nanoseconds (within a factor of two), of " + what,
                s -> times.apply(s).p99Nanos());
        figure(prefix + "NanosMax", long.class, "Longest, in nanoseconds, of " + what, s -> times.apply(s).maxNanos());
    }

    private final transient Supplier<SpaceStatistics> source;
    private transient SpaceStatistics last;
    private transient boolean attempted;
    private transient long attemptedAt;

    /** @param source reads the space's figures now; may throw */
    DefinitionStatistics(Supplier<SpaceStatistics> source) {
        this.source = source;
    }

    @Override
    public Set<String> getNames() {
        return Collections.unmodifiableSet(FIGURES.keySet());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getType(String name) {
        Figure f = FIGURES.get(name);
        return f == null ? null : f.type();
    }

    @Override
    public String getDescription(String name) {
        Figure f = FIGURES.get(name);
        return f == null ? null : f.description();
    }

    @Override
    public String getDescription(String name, Locale locale) {
        return getDescription(name);
    }

    @Override
    public Object getValue(String name) {
        Figure f = FIGURES.get(name);
        if (f == null) {
            return null;
        }
        SpaceStatistics s = snapshot();
        if (s != null) {
            return f.value().apply(s);
        }
        return f.type() == int.class ? (Object) 0 : (Object) 0L;
    }

    /**
     * The snapshot, read again when the last attempt is older than {@link #MAX_AGE_NANOS} (a failed
     * attempt too, so that an unreachable space is not asked at every read); {@code null} until one
     * read succeeded.
     */
    private synchronized SpaceStatistics snapshot() {
        long now = System.nanoTime();
        if (source != null && (!attempted || now - attemptedAt > MAX_AGE_NANOS)) {
            attempted = true;
            attemptedAt = now;
            try {
                last = source.get();
            } catch (RuntimeException unreadable) { // stopped or unreachable: keep the last values
                // nothing else to do: the next attempt is due after MAX_AGE_NANOS
            }
        }
        return last;
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void setEnabled(boolean enabled) {
        // always on: see the class comment
    }

    @Override
    public void clear() {
        // the space's counters belong to every process: see the class comment
    }
}
