package io.futexra.jmx;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Publishes one {@link LockSpace} as {@code io.futexra:type=LockSpace,name=SPACE} on an MBean
 * server until closed. Reads go to the space each time: no copy goes stale, nothing is polled.
 * Its figures are {@link LockSpace#statistics(Set, int)}'s, for the names it was given and the
 * {@link #DEFAULT_TOP} (or given number of) hottest other objects.
 */
public final class LockSpaceMonitor implements LockSpaceMXBean, AutoCloseable {

    /** How many of the hottest objects {@link #getLockStatistics()} shows unless told otherwise. */
    public static final int DEFAULT_TOP = 20;

    private final LockSpace space;
    private final MBeanServer server;
    private final ObjectName objectName;
    private final Set<String> names;
    private final int top;

    private LockSpaceMonitor(LockSpace space, MBeanServer server, ObjectName objectName, Set<String> names, int top) {
        this.space = space;
        this.server = server;
        this.objectName = objectName;
        this.names = Set.copyOf(names);
        this.top = top;
    }

    /**
     * The name a space's MXBean is registered under: {@code io.futexra:type=LockSpace,name="SPACE"}.
     *
     * @param spaceName the space's name
     * @return the object name, the space's name quoted
     */
    public static ObjectName objectName(String spaceName) {
        try {
            return new ObjectName("io.futexra:type=LockSpace,name=" + ObjectName.quote(spaceName));
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalArgumentException(impossible);
        }
    }

    /**
     * Registers {@code space} on the platform MBean server.
     *
     * @param space the space to show; the monitor reads it, never changes it
     * @return the monitor; {@link #close()} unregisters it
     * @throws FutexRaException if a monitor for a space of that name is registered already
     */
    public static LockSpaceMonitor register(LockSpace space) {
        return register(space, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers {@code space} on {@code server}.
     *
     * @param space the space to show; the monitor reads it, never changes it
     * @param server where to register it
     * @return the monitor; {@link #close()} unregisters it
     * @throws FutexRaException if a monitor for a space of that name is registered there already, or
     *     registration fails
     */
    public static LockSpaceMonitor register(LockSpace space, MBeanServer server) {
        return register(space, server, Set.of(), DEFAULT_TOP);
    }

    /**
     * Registers {@code space} on {@code server}, its per-object figures for {@code names} and the
     * {@code top} hottest other objects.
     *
     * @param space the space to show; the monitor reads it, never changes it
     * @param server where to register it
     * @param names objects whose figures are always shown (if they exist)
     * @param top how many of the hottest other objects to show; 0 for none
     * @return the monitor; {@link #close()} unregisters it
     * @throws FutexRaException if a monitor for a space of that name is registered there already, or
     *     registration fails
     * @throws IllegalArgumentException if {@code top} is negative
     */
    public static LockSpaceMonitor register(LockSpace space, MBeanServer server, Set<String> names, int top) {
        if (top < 0) {
            throw new IllegalArgumentException("the number of objects to show cannot be negative: " + top);
        }
        ObjectName name = objectName(space.name());
        LockSpaceMonitor monitor = new LockSpaceMonitor(space, server, name, names, top);
        try {
            server.registerMBean(monitor, name);
        } catch (InstanceAlreadyExistsException e) {
            throw new FutexRaException("an MBean " + name + " is registered already: is this space monitored twice?", e);
        } catch (JMException e) {
            throw new FutexRaException("cannot register " + name + ": " + e, e);
        }
        return monitor;
    }

    /** {@return the name this monitor is registered under} */
    public ObjectName objectName() {
        return objectName;
    }

    @Override
    public String getName() {
        return space.name();
    }

    @Override
    public int getObjectCount() {
        return space.objects().size();
    }

    @Override
    public int getHeldCount() {
        return (int) space.objects().stream().filter(o -> o.isHeld() || o.readers() > 0).count();
    }

    @Override
    public int getWaiterCount() {
        return space.statistics(Set.of(), 0).waiters();
    }

    @Override
    public ObjectState[] getObjects() {
        List<ObjectInfo> objects = space.objects();
        return objects.stream().map(ObjectState::of).toArray(ObjectState[]::new);
    }

    @Override
    public FiguresState getStatistics() {
        return FiguresState.of(space.statistics(Set.of(), 0));
    }

    @Override
    public FiguresState[] getLockStatistics() {
        return space.statistics(names, top).selected().stream().map(FiguresState::of).toArray(FiguresState[]::new);
    }

    /** Unregisters; the space itself stays open. */
    @Override
    public void close() {
        try {
            server.unregisterMBean(objectName);
        } catch (InstanceNotFoundException gone) {
            // unregistered already
        } catch (JMException e) {
            throw new FutexRaException("cannot unregister " + objectName + ": " + e, e);
        }
    }
}
