package io.futexra.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MXBean shows what the space holds, read through a real MBean server as a JMX client would. */
@Timeout(60)
class LockSpaceMonitorTest {

    @Test
    void shouldShowHoldersWaitersAndCountersThroughJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "jmx");
             LockSpaceMonitor monitor = LockSpaceMonitor.register(space);
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "jmx", "nightly")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            space.semaphore("gateway", 3);
            try (Held h = space.semaphore("gateway", 3).acquire()) {
                CompositeData[] objects = (CompositeData[]) server.getAttribute(monitor.objectName(), "Objects");
                assertEquals(2, objects.length);
                CompositeData nightly = byName(objects, "nightly");
                assertEquals("LOCK", nightly.get("kind"));
                assertEquals((int) holder.pid(), nightly.get("holderPid"));
                assertTrue((Integer) nightly.get("holderTid") > 0);
                assertEquals(1L, nightly.get("acquisitions"), "one acquisition; its token is the creation time in ns + 1");
                CompositeData gateway = byName(objects, "gateway");
                assertEquals(3, gateway.get("permits"));
                assertEquals(1, gateway.get("readers"));
                assertEquals(2, server.getAttribute(monitor.objectName(), "HeldCount"));
                assertEquals("jmx", server.getAttribute(LockSpaceMonitor.objectName("jmx"), "Name"));
            }
            holder.kill9();
            AwaitState.until("an operator sees the dead holder's lock as abandoned",
                    () -> (Boolean) nightly(server, monitor).get("abandoned"));
            assertEquals(0, nightly(server, monitor).get("watchers"), "nobody watches it");
            assertThrows(FutexRaException.class, () -> LockSpaceMonitor.register(space), "one monitor per space name");
        }
        assertFalse(server.isRegistered(LockSpaceMonitor.objectName("jmx")), "closing unregisters");
    }

    @Test
    void shouldShowTheSpacesFiguresAndTheChosenLocksThroughJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "jmxfigures");
             LockSpaceMonitor monitor = LockSpaceMonitor.register(space, server, Set.of("orders"), 1)) {
            for (int i = 0; i < 24; i++) {
                space.lock("orders").acquire().close();
            }
            for (int i = 0; i < 5; i++) {
                space.lock("cold").acquire().close();
            }
            space.lock("colder").acquire().close();
            CompositeData total = (CompositeData) server.getAttribute(monitor.objectName(), "Statistics");
            assertEquals("SPACE", total.get("kind"));
            assertEquals(30L, total.get("acquisitions"));
            assertEquals(0L, total.get("contendedAcquisitions"));
            assertEquals(0L, total.get("timeouts"));
            assertEquals(0L, total.get("waitCount"));
            assertEquals(3L + 1 + 1, total.get("holdCount"), "holds sampled by fencing token: 1, 9, 17 of orders; 1 of the others");
            CompositeData[] locks = (CompositeData[]) server.getAttribute(monitor.objectName(), "LockStatistics");
            assertEquals(2, locks.length, "the named lock and the hottest other");
            assertEquals("orders", locks[0].get("name"));
            assertEquals(24L, locks[0].get("acquisitions"));
            assertEquals("cold", locks[1].get("name"));
            assertEquals(5L, locks[1].get("acquisitions"));
            assertEquals(space.statistics(Set.of(), 0).acquisitions(), total.get("acquisitions"), "one source");
        }
    }

    private static CompositeData nightly(MBeanServer server, LockSpaceMonitor monitor) {
        try {
            return byName((CompositeData[]) server.getAttribute(monitor.objectName(), "Objects"), "nightly");
        } catch (JMException e) {
            throw new AssertionError(e);
        }
    }

    private static CompositeData byName(CompositeData[] objects, String name) {
        for (CompositeData o : objects) {
            if (name.equals(o.get("name"))) {
                return o;
            }
        }
        throw new AssertionError("no " + name);
    }
}
