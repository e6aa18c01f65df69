package io.futexra.jmx;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Publishes one {@link LockSpace} as {@code io.futexra:type=LockSpace,name=SPACE} on an MBean
 * server until closed. Reads go to the space each time: no copy goes stale, nothing is polled.
 */
public final class LockSpaceMonitor implements LockSpaceMXBean, AutoCloseable {

    private final LockSpace space;
    private final MBeanServer server;
    private final ObjectName objectName;

    private LockSpaceMonitor(LockSpace space, MBeanServer server, ObjectName objectName) {
        this.space = space;
        this.server = server;
        this.objectName = objectName;
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
        ObjectName name = objectName(space.name());
        LockSpaceMonitor monitor = new LockSpaceMonitor(space, server, name);
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
        return space.objects().stream().mapToInt(ObjectInfo::waiters).sum();
    }

    @Override
    public ObjectState[] getObjects() {
        List<ObjectInfo> objects = space.objects();
        return objects.stream().map(ObjectState::of).toArray(ObjectState[]::new);
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
