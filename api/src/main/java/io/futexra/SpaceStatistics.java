package io.futexra;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The figures of a space: totals over every object, and the figures of a bounded selection of
 * objects, so that a scraper sees a fixed number of per-object series however many objects the
 * space holds ({@link LockSpace#statistics(Set, int)}).
 *
 * <p>The space's own counters (acquisitions, contention, owner deaths, holders, waiters) count
 * every process; timeouts and the wait and hold times are what this process measured.
 *
 * @param space the space's name
 * @param objects how many objects the space holds
 * @param acquisitions acquisitions of every object by every process (events: signals)
 * @param contendedAcquisitions acquisitions that had to spin or sleep for another holder
 * @param ownerDeaths acquisitions that found the previous owner dead
 * @param holders holds now, over every object (see {@link LockStatistics#holders()})
 * @param waiters threads asleep waiting now, over every object
 * @param timeouts acquisitions in this process that timed out
 * @param waitTime wait times in this process, every lock's merged
 * @param holdTime hold times in this process (sampled), every lock's merged
 * @param selected the objects selected: the names asked for that exist, then the most waited-for
 *     others, hottest first
 */
public record SpaceStatistics(String space, int objects, long acquisitions, long contendedAcquisitions,
                              long ownerDeaths, int holders, int waiters, long timeouts, TimeDistribution waitTime,
                              TimeDistribution holdTime, List<LockStatistics> selected) {

    /**
     * Hottest first: the longest total wait in this process, then the most contended acquisitions,
     * then the most acquisitions, then by name.
     */
    public static final Comparator<LockStatistics> HOTTEST_FIRST = Comparator
            .comparingLong((LockStatistics l) -> l.waitTime().totalNanos()).reversed()
            .thenComparing(Comparator.comparingLong(LockStatistics::contendedAcquisitions).reversed())
            .thenComparing(Comparator.comparingLong(LockStatistics::acquisitions).reversed())
            .thenComparing(LockStatistics::name);

    /**
     * Checks the fields and copies the selection.
     *
     * @param space the space's name
     * @param objects how many objects it holds
     * @param acquisitions acquisitions of every object
     * @param contendedAcquisitions contended acquisitions
     * @param ownerDeaths owner deaths seen
     * @param holders holds now
     * @param waiters waiters now
     * @param timeouts timeouts in this process
     * @param waitTime wait times in this process
     * @param holdTime hold times in this process
     * @param selected the selected objects' figures
     * @throws NullPointerException if the name, a distribution or the selection is {@code null}
     */
    public SpaceStatistics {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(waitTime, "waitTime");
        Objects.requireNonNull(holdTime, "holdTime");
        selected = List.copyOf(selected);
    }

    /**
     * Totals over {@code all} and the selection from it.
     *
     * @param space the space's name
     * @param all every object's figures
     * @param names objects always selected (those that exist), in the order of {@code all}
     * @param top how many of the others to select, hottest first ({@link #HOTTEST_FIRST}); 0 for none
     * @return the space's figures
     * @throws IllegalArgumentException if {@code top} is negative
     */
    public static SpaceStatistics of(String space, List<LockStatistics> all, Set<String> names, int top) {
        if (top < 0) {
            throw new IllegalArgumentException("the number of objects to select cannot be negative: " + top);
        }
        long acquisitions = 0;
        long contended = 0;
        long deaths = 0;
        long timeouts = 0;
        int holders = 0;
        int waiters = 0;
        long[] waitCounts = new long[TimeDistribution.BUCKETS];
        long[] holdCounts = new long[TimeDistribution.BUCKETS];
        long waitTotal = 0;
        long waitMax = 0;
        long holdTotal = 0;
        long holdMax = 0;
        List<LockStatistics> named = new ArrayList<>();
        List<LockStatistics> others = new ArrayList<>();
        for (LockStatistics l : all) {
            acquisitions += l.acquisitions();
            contended += l.contendedAcquisitions();
            deaths += l.ownerDeaths();
            timeouts += l.timeouts();
            holders += l.holders();
            waiters += l.waiters();
            if (l.waitTime().count() > 0) {
                l.waitTime().addTo(waitCounts);
                waitTotal += l.waitTime().totalNanos();
                waitMax = Math.max(waitMax, l.waitTime().maxNanos());
            }
            if (l.holdTime().count() > 0) {
                l.holdTime().addTo(holdCounts);
                holdTotal += l.holdTime().totalNanos();
                holdMax = Math.max(holdMax, l.holdTime().maxNanos());
            }
            (names.contains(l.name()) ? named : others).add(l);
        }
        List<LockStatistics> selected = new ArrayList<>(named);
        if (top > 0) {
            others.sort(HOTTEST_FIRST);
            selected.addAll(others.subList(0, Math.min(top, others.size())));
        }
        return new SpaceStatistics(space, all.size(), acquisitions, contended, deaths, holders, waiters, timeouts,
                TimeDistribution.of(waitCounts, waitTotal, waitMax), TimeDistribution.of(holdCounts, holdTotal, holdMax),
                selected);
    }
}
