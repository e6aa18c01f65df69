package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.LockTimesBean;
import io.futexra.it.app.LockTimesServlet;
import io.futexra.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The space figures in WildFly's own management model and on its {@code /metrics} endpoint
 * (IronJacamar's statistics SPI, which {@code FutexManagedConnectionFactory} implements), exactly
 * as docs/operations.md says to read them:
 * <ul>
 * <li>a connection definition activated in the resource-adapters subsystem (the jboss-cli lines of
 * docs/wildfly.md, on a space of its own so that its counts are this test's alone), followed by the
 * reload that has the metrics subsystem export it: its {@code statistics=extended} resource through
 * the management API, and its {@code wildfly_resource_adapters_extended_*} series over HTTP;</li>
 * <li>the RAR's own definition ({@code java:/futex-ra/LockFactory}), whose figures WildFly registers
 * only as attributes: read with jboss-cli's {@code read-attribute}.</li>
 * </ul>
 * Each read must grow by exactly the acquisitions an EJB made, and a standalone JVM killed with
 * {@code kill -9} while holding a lock must show as exactly one owner death.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WildFlyStatisticsIT {

    private static final String APP = "statistics-it.war";
    private static final String ADAPTER = "futex-stats";
    private static final String DEFINITION = "stats";
    private static final Duration GUARD = Duration.ofSeconds(60);
    /** The RAR's own definition's figures, the jboss-cli address docs/operations.md gives. */
    private static final String BUILT_IN_FIGURES = "/deployment=futex-ra.rar/subsystem=resource-adapters"
            + "/ironjacamar=ironjacamar/resource-adapter=futex-ra.rar"
            + "/connection-definitions=java\\:\\/futex-ra\\/LockFactory/statistics=extended";

    private static Path work;
    private static String spaceName;
    private static boolean configured;

    @ArquillianResource
    private ManagementClient management;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @BeforeAll
    static void activateADefinitionOnItsOwnSpace() throws Exception {
        spaceName = "stats-" + UUID.randomUUID();
        work = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "statistics-it", spaceName));
        Path war = work.resolve(APP);
        Deployments.war(APP).addClasses(LockTimesBean.class, LockTimesServlet.class).as(ZipExporter.class)
                .exportTo(war.toFile(), true);
        JbossCli.run(work.resolve("configure.cli"), List.of(
                "/subsystem=resource-adapters/resource-adapter=" + ADAPTER
                        + ":add(archive=futex-ra.rar, transaction-support=NoTransaction)",
                "/subsystem=resource-adapters/resource-adapter=" + ADAPTER + "/connection-definitions=" + DEFINITION
                        + ":add(class-name=io.futexra.jca.FutexManagedConnectionFactory, jndi-name="
                        + LockTimesBean.STATS_JNDI_NAME + ")",
                "/subsystem=resource-adapters/resource-adapter=" + ADAPTER + "/connection-definitions=" + DEFINITION
                        + "/config-properties=space:add(value=" + spaceName + ")",
                "/subsystem=resource-adapters/resource-adapter=" + ADAPTER + ":activate",
                "deploy " + war,
                // the metrics subsystem collects the server's resources when it boots
                "reload"));
        configured = true;
    }

    @AfterAll
    static void removeTheDefinition() throws Exception {
        if (configured) {
            JbossCli.run(work.resolve("restore.cli"), List.of("undeploy " + APP,
                    "/subsystem=resource-adapters/resource-adapter=" + ADAPTER + ":remove", "reload"));
        }
    }

    @Test
    void shouldCountEveryAcquisitionOfAnEjbInTheManagementModelAndOnMetrics() throws Exception {
        int n = 37;
        long modelBefore = figures().get("Acquisitions").asLong();
        long metricBefore = metric("acquisitions");
        long contendedBefore = figures().get("ContendedAcquisitions").asLong();

        assertEquals("DONE DIED false", lockTimes(DEFINITION, "it-stats-" + UUID.randomUUID(), n));

        long modelAfter = awaitChange(modelBefore, () -> figures().get("Acquisitions").asLong());
        assertEquals(modelBefore + n, modelAfter, "Acquisitions in the management model");
        long metricAfter = awaitChange(metricBefore, () -> metric("acquisitions"));
        assertEquals(metricBefore + n, metricAfter, "wildfly_resource_adapters_extended_acquisitions on /metrics");
        ModelNode after = figures();
        assertEquals(contendedBefore, after.get("ContendedAcquisitions").asLong(), "nothing contended: " + after);
        assertEquals(0, after.get("Holders").asInt(), "every acquisition was released: " + after);
        assertTrue(after.get("Objects").asInt() >= 1, after.toString());
    }

    @Test
    void shouldTypeTheFiguresAsLongAndIntMetrics() throws Exception {
        ModelNode describe = new ModelNode();
        describe.get("operation").set("read-resource-description");
        describe.get("address").add("subsystem", "resource-adapters").add("resource-adapter", ADAPTER)
                .add("connection-definitions", DEFINITION).add("statistics", "extended");
        ModelNode result = management.getControllerClient().execute(describe);
        assertEquals("success", result.get("outcome").asString(), result.toString());
        ModelNode attributes = result.get("result", "attributes");
        for (String name : List.of("Acquisitions", "ContendedAcquisitions", "OwnerDeaths", "Timeouts", "WaitCount",
                "WaitNanosTotal", "WaitNanosP50", "WaitNanosP99", "WaitNanosMax", "HoldCount", "HoldNanosTotal",
                "HoldNanosP50", "HoldNanosP99", "HoldNanosMax")) {
            assertEquals("LONG", attributes.get(name, "type").asString(), name + ": " + attributes.get(name));
            assertEquals("metric", attributes.get(name, "access-type").asString(), name + ": " + attributes.get(name));
        }
        for (String name : List.of("Objects", "Holders", "Waiters")) {
            assertEquals("INT", attributes.get(name, "type").asString(), name + ": " + attributes.get(name));
        }
    }

    @Test
    void shouldCountAStandaloneHolderKilledWithKill9AsOneOwnerDeath() throws Exception {
        String lock = "it-stats-killed-" + UUID.randomUUID();
        long modelBefore = figures().get("OwnerDeaths").asLong();
        long metricBefore = metric("owner_deaths");
        try (ChildJvm child = ChildJvm.start("hold", Deployments.spaceDirectory().toString(), spaceName, lock)) {
            child.awaitLine("HELD", GUARD);
            child.kill9();
        }

        assertEquals("DONE DIED true", lockTimes(DEFINITION, lock, 1), "the EJB's acquisition finds the owner dead");

        long modelAfter = awaitChange(modelBefore, () -> figures().get("OwnerDeaths").asLong());
        assertEquals(modelBefore + 1, modelAfter, "OwnerDeaths in the management model");
        long metricAfter = awaitChange(metricBefore, () -> metric("owner_deaths"));
        assertEquals(metricBefore + 1, metricAfter, "wildfly_resource_adapters_extended_owner_deaths on /metrics");
    }

    @Test
    void shouldCountEveryAcquisitionThroughTheRarsOwnDefinitionInJbossCli() throws Exception {
        int n = 11;
        long before = builtInAcquisitions();

        assertEquals("DONE DIED false", lockTimes("builtin", "it-stats-builtin-" + UUID.randomUUID(), n));

        assertEquals(before + n, awaitChange(before, WildFlyStatisticsIT::builtInAcquisitions),
                "Acquisitions of java:/futex-ra/LockFactory read with jboss-cli");
    }

    /** The definition's {@code statistics=extended} resource, read through the management API. */
    private ModelNode figures() {
        ModelNode read = new ModelNode();
        read.get("operation").set("read-resource");
        read.get("address").add("subsystem", "resource-adapters").add("resource-adapter", ADAPTER)
                .add("connection-definitions", DEFINITION).add("statistics", "extended");
        read.get("include-runtime").set(true);
        try {
            ModelNode result = management.getControllerClient().execute(read);
            assertEquals("success", result.get("outcome").asString(), result.toString());
            return result.get("result");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code wildfly_resource_adapters_extended_FIGURE} of the definition, from the management port's {@code /metrics}. */
    private static long metric(String figure) {
        String body;
        try {
            body = Http.get("http://127.0.0.1:" + System.getProperty("it.mgmt.single") + "/metrics", GUARD);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Pattern series = Pattern.compile("^wildfly_resource_adapters_extended_" + figure + "\\{([^}]*)\\} (\\S+)$",
                Pattern.MULTILINE);
        List<String> found = new ArrayList<>();
        Matcher m = series.matcher(body);
        while (m.find()) {
            found.add(m.group());
            if (m.group(1).contains("resource_adapter=\"" + ADAPTER + "\"")
                    && m.group(1).contains("connection_definitions=\"" + DEFINITION + "\"")) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no wildfly_resource_adapters_extended_" + figure + " series for " + ADAPTER + "/"
                + DEFINITION + " on /metrics; series of that name: " + found);
    }

    /** Acquisitions of the RAR's own definition, with the jboss-cli line docs/operations.md gives. */
    private static long builtInAcquisitions() {
        try {
            String out = JbossCli.run(work.resolve("read-built-in.cli"),
                    List.of(BUILT_IN_FIGURES + ":read-attribute(name=Acquisitions)"));
            Matcher m = Pattern.compile("\"result\" => (\\d+)L").matcher(out);
            assertTrue(m.find(), out);
            return Long.parseLong(m.group(1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lockTimes(String definition, String lock, int times) throws Exception {
        int offset = Integer.getInteger("it.offset.single", 0);
        return Http.get("http://127.0.0.1:" + (8080 + offset) + "/" + APP.replace(".war", "")
                + "/lock-times?definition=" + definition + "&lock=" + lock + "&times=" + times, GUARD);
    }

    /**
     * The figure once it differs from {@code before}: a read may be answered from the adapter's
     * snapshot of up to 250 ms ago (hang guard {@link #GUARD}).
     */
    private static long awaitChange(long before, LongSupplier read) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        long now = read.getAsLong();
        while (now == before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = read.getAsLong();
        }
        return now;
    }
}
