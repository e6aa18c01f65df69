package io.futexra.kit;

import io.futexra.LockStatistics;
import io.futexra.ObjectInfo;
import io.futexra.SpaceStatistics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process's in-process figures of one space, by lock name ({@link LockFigures}), joined with
 * the space's own counters into {@link SpaceStatistics}: the one source that the JMX MXBean, the
 * Micrometer binder, the adapter's statistics and {@code futex-ra top} all read.
 *
 * <p>Off when the system property {@value #PROPERTY} is {@code false} when the space is first
 * opened in the process: {@link #of(String)} then gives {@code null} and the backends measure
 * nothing.
 */
public final class SpaceFigures {

    /** The system property that turns in-process figures off ({@code false}); on by default. */
    public static final String PROPERTY = "futexra.statistics";

    private final ConcurrentHashMap<String, LockFigures> locks = new ConcurrentHashMap<>();
    /** Every lock's figures together, recorded as they are. */
    private final LockFigures total = new LockFigures();
    private final boolean enabled;

    private SpaceFigures(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return figures on unless {@value #PROPERTY} is {@code false}} */
    public static SpaceFigures fromSystemProperty() {
        return new SpaceFigures(!"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip()));
    }

    /** {@return whether figures are measured} */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The figures of lock {@code name}, made on first use.
     *
     * @param name the lock's name
     * @return its figures, or {@code null} when figures are off
     */
    public LockFigures of(String name) {
        return enabled ? locks.computeIfAbsent(name, n -> new LockFigures(total)) : null;
    }

    /**
     * The space's counters joined with this process's figures, as {@link SpaceStatistics#of} would
     * join them; but the in-process totals are the space's own recorders (every lock records into
     * them too), each lock's figures are visited only for its total wait (the ranking) and made
     * only if selected, so a read of a space of many locks touches one word per lock beyond
     * {@code objects} itself.
     *
     * @param space the space's name
     * @param objects the space's objects, as read now
     * @param names objects always given per object
     * @param top how many others to give, hottest first ({@link SpaceStatistics#HOTTEST_FIRST})
     * @return the figures
     * @throws IllegalArgumentException if {@code top} is negative
     */
    public SpaceStatistics statistics(String space, List<ObjectInfo> objects, Set<String> names, int top) {
        if (top < 0) {
            throw new IllegalArgumentException("the number of objects to select cannot be negative: " + top);
        }
        Totals totals = new Totals();
        List<Entry> named = new ArrayList<>();
        // the hottest others so far, the coldest of them at the head: one comparison per object once full
        PriorityQueue<Entry> hottest = new PriorityQueue<>(Math.max(1, top) + 1, Entry.HOTTEST_FIRST.reversed());
        for (ObjectInfo o : objects) {
            LockFigures f = locks.get(o.name());
            totals.add(LockStatistics.of(o));
            Entry e = new Entry(o, f, f == null ? 0 : f.waits().totalNanos());
            if (names.contains(o.name())) {
                named.add(e);
            } else if (top > 0 && (hottest.size() < top || Entry.HOTTEST_FIRST.compare(e, hottest.peek()) < 0)) {
                hottest.add(e);
                if (hottest.size() > top) {
                    hottest.poll();
                }
            }
        }
        List<Entry> others = new ArrayList<>(hottest);
        others.sort(Entry.HOTTEST_FIRST);
        List<LockStatistics> selected = new ArrayList<>(named.size() + others.size());
        for (Entry e : named) {
            selected.add(e.statistics());
        }
        for (Entry e : others) {
            selected.add(e.statistics());
        }
        return totals.statistics(space, objects.size(), selected);
    }

    /** One object while selecting: its wait total read once, its figures made only if selected. */
    private record Entry(ObjectInfo info, LockFigures figures, long waitNanos) {

        /** {@link SpaceStatistics#HOTTEST_FIRST}'s order. */
        static final Comparator<Entry> HOTTEST_FIRST = Comparator.comparingLong(Entry::waitNanos).reversed()
                .thenComparing(Comparator.comparingLong((Entry e) -> e.info().contendedAcquisitions()).reversed())
                .thenComparing(Comparator.comparingLong((Entry e) -> e.info().acquisitions()).reversed())
                .thenComparing(e -> e.info().name());

        LockStatistics statistics() {
            return figures == null ? LockStatistics.of(info)
                    : LockStatistics.of(info, figures.timeouts(), figures.waits().snapshot(), figures.holds().snapshot());
        }
    }

    /** The space's counters summed over every object, with this process's totals. */
    private final class Totals {
        private long acquisitions;
        private long contended;
        private long deaths;
        private int holders;
        private int waiters;

        void add(LockStatistics counters) {
            acquisitions += counters.acquisitions();
            contended += counters.contendedAcquisitions();
            deaths += counters.ownerDeaths();
            holders += counters.holders();
            waiters += counters.waiters();
        }

        SpaceStatistics statistics(String space, int objects, List<LockStatistics> selected) {
            return new SpaceStatistics(space, objects, acquisitions, contended, deaths, holders, waiters,
                    total.timeouts(), total.waits().snapshot(), total.holds().snapshot(), selected);
        }
    }
}
