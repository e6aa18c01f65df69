package io.futexra.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder's meters against a space with known activity: exact counts, in Micrometer and in Prometheus text. */
@Timeout(120)
class LockSpaceMetricsTest {

    /** 10 acquisitions of "orders" and 1 timeout on it, 3 of "audit", one owner death on "nightly" (a kill -9'd child). */
    private static void knownActivity(TestSpaces dirs, LockSpace space) throws Exception {
        NamedLock orders = space.lock("orders");
        for (int i = 0; i < 10; i++) {
            orders.acquire().close();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Held h = orders.acquire()) { // the 11th
                held.countDown();
                await(release);
            }
        }, "holder");
        holder.start();
        await(held);
        assertThrows(LockTimeoutException.class, () -> orders.acquire(Duration.ofMillis(20)));
        release.countDown();
        holder.join(AwaitState.HANG_GUARD.toMillis());
        for (int i = 0; i < 3; i++) {
            space.lock("audit").acquire().close();
        }
        try (ChildJvm child = ChildJvm.start("hold", dirs.directory().toString(), space.name(), "nightly")) {
            child.awaitLine("HELD", Duration.ofSeconds(30));
            child.kill9();
            try (Held h = space.lock("nightly").acquire(AwaitState.HANG_GUARD)) {
                assertTrue(h.previousOwnerDied());
            }
        }
    }

    @Test
    void shouldRegisterTheSpacesAndTheNamedLocksExactFiguresWithASimpleRegistry() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "mm")) {
            knownActivity(dirs, space);
            MeterRegistry registry = new SimpleMeterRegistry();
            new LockSpaceMetrics(space, Set.of("orders", "not-yet"), Tags.of("app", "test"), Duration.ZERO).bindTo(registry);

            assertEquals(11 + 3 + 2, counter(registry, "futexra.acquisitions", null));
            assertEquals(11, counter(registry, "futexra.acquisitions", "orders"));
            assertEquals(0, counter(registry, "futexra.acquisitions", "not-yet"));
            assertEquals(1, counter(registry, "futexra.timeouts", null));
            assertEquals(1, counter(registry, "futexra.timeouts", "orders"));
            assertEquals(1, counter(registry, "futexra.owner.deaths", null));
            assertEquals(0, counter(registry, "futexra.owner.deaths", "orders"));
            assertEquals(0, counter(registry, "futexra.acquisitions.contended", "orders"));
            assertEquals(3, gauge(registry, "futexra.objects", null));
            assertEquals(0, gauge(registry, "futexra.holders", null));
            assertEquals(0, gauge(registry, "futexra.waiters", "orders"));
            FunctionTimer hold = only(registry.find("futexra.hold").tag("lock", "orders").functionTimers());
            assertEquals(2, hold.count(), "orders' holds with fencing tokens 1 and 9 are sampled");
            FunctionTimer wait = only(registry.find("futexra.wait").tag("lock", "orders").functionTimers());
            assertEquals(0, wait.count(), "no acquisition of orders waited and got it");
            assertEquals("test", only(registry.find("futexra.acquisitions").tag("lock", "orders").functionCounters())
                    .getId().getTag("app"));

            space.lock("orders").acquire().close();
            assertEquals(12, counter(registry, "futexra.acquisitions", "orders"), "read again at each scrape (max age 0)");
        }
    }

    @Test
    void shouldScrapeTheSameFiguresAsPrometheusText() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "prom")) {
            knownActivity(dirs, space);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new LockSpaceMetrics(space, Set.of("orders"), Tags.empty(), Duration.ZERO).bindTo(registry);
            String text = registry.scrape();

            assertEquals(16.0, sample(text, "futexra_acquisitions_total{space=\"prom\"}"), text);
            assertEquals(11.0, sample(text, "futexra_acquisitions_total{lock=\"orders\",space=\"prom\"}"), text);
            assertEquals(1.0, sample(text, "futexra_timeouts_total{lock=\"orders\",space=\"prom\"}"), text);
            assertEquals(1.0, sample(text, "futexra_owner_deaths_total{space=\"prom\"}"), text);
            assertEquals(0.0, sample(text, "futexra_acquisitions_contended_total{lock=\"orders\",space=\"prom\"}"), text);
            // taking nightly from its dead owner is not the fast path's free word: contended
            assertEquals(1.0, sample(text, "futexra_acquisitions_contended_total{space=\"prom\"}"), text);
            assertEquals(3.0, sample(text, "futexra_objects{space=\"prom\"}"), text);
            assertEquals(0.0, sample(text, "futexra_waiters{space=\"prom\"}"), text);
            assertEquals(2.0, sample(text, "futexra_hold_seconds_count{lock=\"orders\",space=\"prom\"}"), text);
            assertTrue(text.contains("futexra_wait_p99_seconds{space=\"prom\"}"), text);
            assertTrue(text.contains("futexra_hold_max_seconds{lock=\"orders\",space=\"prom\"}"), text);
        }
    }

    private static double counter(MeterRegistry registry, String name, String lock) {
        Collection<FunctionCounter> found = registry.find(name).functionCounters();
        return only(found.stream().filter(m -> matches(m, lock)).toList()).count();
    }

    private static double gauge(MeterRegistry registry, String name, String lock) {
        Collection<Gauge> found = registry.find(name).gauges();
        return only(found.stream().filter(m -> matches(m, lock)).toList()).value();
    }

    private static boolean matches(Meter m, String lock) {
        return lock == null ? m.getId().getTag("lock") == null : lock.equals(m.getId().getTag("lock"));
    }

    private static <T> T only(Collection<T> found) {
        assertEquals(1, found.size(), found.toString());
        return found.iterator().next();
    }

    /** The value of the sample line {@code series VALUE} in Prometheus text. */
    private static double sample(String text, String series) {
        List<String> lines = text.lines().filter(l -> l.startsWith(series + " ")).toList();
        assertEquals(1, lines.size(), series);
        return Double.parseDouble(lines.get(0).substring(series.length() + 1).strip());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(AwaitState.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "hung");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
