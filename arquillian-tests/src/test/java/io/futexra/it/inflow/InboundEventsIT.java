package io.futexra.it.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.it.Deployments;
import io.futexra.it.inflow.app.AutoResetCounter;
import io.futexra.it.inflow.app.Record;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Named events and owner deaths delivered to MDBs in two real WildFly servers (node-c, node-d),
 * signalled by, or held by, a child JVM using the standalone API.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InboundEventsIT {

    private static final String SPACE = "default"; // the servers' default space (-Dfutexra.directory)
    /** How long "nothing more arrives" is watched for: the one place this class waits on time, not on a state. */
    private static final long QUIET_MILLIS = 1_500;

    @Deployment(name = "rar-c", order = 1, testable = false)
    @TargetsContainer("node-c")
    static ResourceAdapterArchive rarC() {
        return Deployments.rar();
    }

    @Deployment(name = "rar-d", order = 2, testable = false)
    @TargetsContainer("node-d")
    static ResourceAdapterArchive rarD() {
        return Deployments.rar();
    }

    @Deployment(name = "samples-c", order = 3, testable = false)
    @TargetsContainer("node-c")
    static JavaArchive samplesC() {
        return Deployments.samples("futex-ra-ejb-samples.jar");
    }

    @Deployment(name = "samples-d", order = 4, testable = false)
    @TargetsContainer("node-d")
    static JavaArchive samplesD() {
        return Deployments.samples("futex-ra-ejb-samples.jar");
    }

    @Deployment(name = "mdbs-c", order = 5, testable = false)
    @TargetsContainer("node-c")
    static JavaArchive mdbsC() {
        return mdbs();
    }

    @Deployment(name = "mdbs-d", order = 6, testable = false)
    @TargetsContainer("node-d")
    static JavaArchive mdbsD() {
        return mdbs();
    }

    static JavaArchive mdbs() {
        return ShrinkWrap.create(JavaArchive.class, "inflow-mdbs.jar").addClasses(AutoResetCounter.class, Record.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + Deployments.RAR_NAME
                        + "\n"));
    }

    private static String dir() {
        return Deployments.spaceDirectory().toString();
    }

    @Test
    void shouldDeliverEachAutoResetSignalFromABatchJvmExactlyOnceAcrossBothServers() throws Exception {
        int signals = 300;
        try (ChildJvm batch = ChildJvm.start("signaln", dir(), SPACE, "inflow-auto", "AUTO_RESET",
                Integer.toString(signals))) {
            batch.awaitLine("SIGNALED", Duration.ofSeconds(120));
        }
        Received.awaitLines("inflow-auto.received", l -> l.size() >= signals, Duration.ofSeconds(90));
        // A quiet period, not a state: "no duplicate" means nothing more arrives, and no state says so.
        // A delivery runs on a WorkManager thread after the wait that consumed the signal returned,
        // and leaves no trace in the space until the MDB writes its line: so wait a while, then count.
        Thread.sleep(QUIET_MILLIS);
        List<String> got = Received.lines("inflow-auto.received");
        Set<String> servers = got.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
        System.out.println("inflow-auto: " + got.size() + " deliveries for " + signals + " signals, by server pids "
                + servers.stream().collect(Collectors.toMap(p -> p, p -> got.stream().filter(l -> l.startsWith(p + " "))
                .count())));
        assertEquals(signals, got.size(), "exactly one delivery per auto-reset signal across both servers");
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), SPACE)) {
            assertFalse(space.event("inflow-auto", EventMode.AUTO_RESET).isSignaled(), "no signal left pending");
        }
    }

    @Test
    void shouldWakeTheImportDoneListenerOnceInEachServerForAManualResetSignal() throws Exception {
        try (ChildJvm batch = ChildJvm.start("signal", dir(), SPACE, "import-done", "MANUAL_RESET")) {
            batch.awaitLine("SIGNALED", Duration.ofSeconds(120));
        }
        List<String> got = Received.awaitLines("import-done.received", l -> pids(l).size() >= 2, Duration.ofSeconds(60));
        Thread.sleep(QUIET_MILLIS); // a second delivery of the same edge would land now (quiet period: see above)
        got = Received.lines("import-done.received");
        assertEquals(2, pids(got).size(), "both servers' ImportDoneListener woke: " + got);
        assertEquals(2, got.size(), "once per server per signal: " + got);
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), SPACE)) {
            NamedEvent done = space.event("import-done", EventMode.MANUAL_RESET);
            assertTrue(done.isSignaled(), "a manual-reset event stays signaled until reset");
            done.reset();
        }
        Thread.sleep(QUIET_MILLIS); // a delivery caused by the reset would land now (quiet period: see above)
        assertEquals(2, Received.lines("import-done.received").size(), "a reset is not a signal");
    }

    @Test
    void shouldTellBothServersWhenTheBatchJvmHoldingTheNightlyLockIsKilled() throws Exception {
        String token;
        long batchPid;
        try (ChildJvm batch = ChildJvm.start("hold", dir(), SPACE, "nightly-job")) {
            String held = batch.awaitLine("HELD", Duration.ofSeconds(120));
            token = held.substring(held.indexOf("tokens=") + "tokens=".length()).trim();
            batchPid = batch.pid();
            try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), SPACE)) {
                AwaitState.watchers(space, "nightly-job", 2); // both servers' watchers asleep on the lock word
            }
            assertTrue(Received.lines("owner-death.received").isEmpty(), "a live holder is not reported");
            batch.kill9();
        }
        List<String> got = Received.awaitLines("owner-death.received", l -> pids(l).size() >= 2, Duration.ofSeconds(30));
        Thread.sleep(QUIET_MILLIS); // a second notice of the same death would land now (quiet period: see above)
        got = Received.lines("owner-death.received");
        System.out.println("owner-death notices after kill -9 of batch pid " + batchPid + " (token " + token + "): " + got);
        assertEquals(2, pids(got).size(), "both servers' NightlyJobDeathListener told: " + got);
        assertEquals(2, got.size(), "once per server: " + got);
        for (String line : got) {
            assertEquals(token, line.split(" ")[1], "the notice names the dead batch job's fencing token: " + line);
            assertFalse(line.startsWith(batchPid + " "));
        }
    }

    private static Set<String> pids(List<String> lines) {
        return lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
    }
}
