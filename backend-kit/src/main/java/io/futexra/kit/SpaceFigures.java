package io.futexra.kit;

import io.futexra.LockStatistics;
import io.futexra.ObjectInfo;
import io.futexra.SpaceStatistics;
import java.util.ArrayList;
import java.util.List;
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
        return enabled ? locks.computeIfAbsent(name, n -> new LockFigures()) : null;
    }

    /**
     * The space's counters joined with this process's figures.
     *
     * @param space the space's name
     * @param objects the space's objects, as read now
     * @param names objects always given per object
     * @param top how many others to give, hottest first
     * @return the figures
     */
    public SpaceStatistics statistics(String space, List<ObjectInfo> objects, Set<String> names, int top) {
        List<LockStatistics> all = new ArrayList<>(objects.size());
        for (ObjectInfo o : objects) {
            LockFigures f = locks.get(o.name());
            all.add(f == null ? LockStatistics.of(o)
                    : LockStatistics.of(o, f.timeouts(), f.waits().snapshot(), f.holds().snapshot()));
        }
        return SpaceStatistics.of(space, all, names, top);
    }
}
