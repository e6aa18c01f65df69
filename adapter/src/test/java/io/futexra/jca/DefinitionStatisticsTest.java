package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.List;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection definition's figures as IronJacamar's statistics plugin (what WildFly's
 * management model and {@code /metrics} read), on a real space: names and types WildFly can
 * export, exact counts of acquisitions and of a holder killed with {@code kill -9}, and the last
 * values kept once the space can no longer be read.
 */
@Timeout(60)
class DefinitionStatisticsTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    private final TestSpaces dirs = new TestSpaces();
    private final FutexManagedConnectionFactory mcf = new FutexManagedConnectionFactory();

    private LockFactory factory() throws Exception {
        mcf.setDirectory(dirs.directory().toString());
        mcf.setSpace("figures");
        return (LockFactory) mcf.createConnectionFactory();
    }

    @AfterEach
    void cleanUp() throws Exception {
        mcf.close();
        dirs.close();
    }

    @Test
    void shouldGiveEveryFigureAsAnIntOrALongWithADescription() throws Exception {
        factory();
        StatisticsPlugin plugin = ((Statistics) mcf).getStatistics();
        assertSame(plugin, mcf.getStatistics(), "one plugin per factory: WildFly registers it once");
        assertEquals(List.of("Objects", "Acquisitions", "ContendedAcquisitions", "OwnerDeaths", "Holders", "Waiters",
                "Timeouts", "WaitCount", "WaitNanosTotal", "WaitNanosP50", "WaitNanosP99", "WaitNanosMax", "HoldCount",
                "HoldNanosTotal", "HoldNanosP50", "HoldNanosP99", "HoldNanosMax"), List.copyOf(plugin.getNames()));
        for (String name : plugin.getNames()) {
            Class<?> type = plugin.getType(name);
            assertTrue(type == int.class || type == long.class, name + " is " + type);
            Object value = plugin.getValue(name);
            assertEquals(type == int.class ? Integer.class : Long.class, value.getClass(), name);
            assertNotNull(plugin.getDescription(name), name);
        }
        assertTrue(plugin.isEnabled());
        plugin.setEnabled(false);
        assertTrue(plugin.isEnabled(), "the figures are always there");
    }

    @Test
    void shouldGrowByExactlyTheAcquisitionsMade() throws Exception {
        LockFactory locks = factory();
        StatisticsPlugin plugin = mcf.getStatistics();
        long before = (Long) plugin.getValue("Acquisitions");
        int n = 25;
        try (LockConnection c = locks.getConnection()) {
            for (int i = 0; i < n; i++) {
                try (Held h = c.lock("counted").acquire(Duration.ofSeconds(5))) {
                    assertTrue(h.isHeld());
                }
            }
        }
        assertEquals(before + n, awaitChange(plugin, "Acquisitions", before));
        assertEquals(0, plugin.getValue("Holders"));
        assertEquals(0L, plugin.getValue("ContendedAcquisitions"));
    }

    @Test
    void shouldCountAHolderKilledWithKill9AsOneOwnerDeath() throws Exception {
        LockFactory locks = factory();
        StatisticsPlugin plugin = mcf.getStatistics();
        long before = (Long) plugin.getValue("OwnerDeaths");
        try (ChildJvm child = ChildJvm.start("hold", dirs.directory().toString(), "figures", "killed")) {
            child.awaitLine("HELD", GUARD);
            child.kill9();
        }
        try (LockConnection c = locks.getConnection(); Held h = c.lock("killed").acquire(Duration.ofSeconds(10))) {
            assertTrue(h.previousOwnerDied());
        }
        assertEquals(before + 1, awaitChange(plugin, "OwnerDeaths", before));
    }

    @Test
    void shouldKeepTheLastValuesOnceTheSpaceCannotBeRead() throws Exception {
        LockFactory locks = factory();
        try (LockConnection c = locks.getConnection(); Held h = c.lock("last").acquire(Duration.ofSeconds(5))) {
            assertTrue(h.isHeld());
        }
        StatisticsPlugin plugin = mcf.getStatistics();
        long seen = awaitChange(plugin, "Acquisitions", 0);
        mcf.close(); // the runtime stops: reading the space now fails with FUTEXRA031
        Thread.sleep(DefinitionStatistics.MAX_AGE_NANOS / 1_000_000 + 50);
        assertEquals(seen, plugin.getValue("Acquisitions"));
        assertFalse(plugin.getNames().isEmpty());
    }

    /** The figure once it differs from {@code before} (the plugin answers from a snapshot up to 250 ms old). */
    private static long awaitChange(StatisticsPlugin plugin, String name, long before) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        long now = (Long) plugin.getValue(name);
        while (now == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = (Long) plugin.getValue(name);
        }
        return now;
    }
}
