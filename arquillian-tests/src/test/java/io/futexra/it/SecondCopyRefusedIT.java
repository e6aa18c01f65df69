package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.RedeployLoop.Snapshot;
import io.futexra.it.app.ProbeServlet;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With futex-ra.rar deployed, the same RAR deployed again under another name fails — with
 * {@code FUTEXRA090}, which names the other copy and says to activate another instance through the
 * resource-adapters subsystem — and leaves nothing behind: the server has the same futex-ra
 * threads, the same space-file mappings and no more JNA cleaner threads than before the attempt
 * (read through the probe), and the refused copy opened no space ({@code FUTEXRA003}) and published
 * none ({@code FUTEXRA007}). Not counted: the copy of {@code libjnidispatch.so} that WildFly's
 * RaNativeProcessor maps from every RAR it deploys, before the adapter runs (see
 * {@link RedeployClassLoadersIT}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecondCopyRefusedIT {

    private static final String COPY = "futex-ra-copy.rar";

    @Deployment(name = "probe", order = 1, testable = false)
    static WebArchive probe() {
        return Deployments.independentWar("copy-probe.war").addClass(ProbeServlet.class);
    }

    @Deployment(name = "rar", order = 2, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "copy", managed = false, testable = false)
    static ResourceAdapterArchive copy() {
        return Deployments.rarNamed(COPY);
    }

    @ArquillianResource
    private Deployer deployer;

    @Test
    @OperateOnDeployment("probe")
    void shouldRefuseASecondCopyEarlyAndLeaveNothingBehind(@ArquillianResource @OperateOnDeployment("probe") URL probe) throws Exception {
        Path log = ServerLog.singleServerFromClient();
        Snapshot before = RedeployLoop.snapshot(probe, true);
        int opened = ServerLog.linesWith(log, "FUTEXRA003").size();
        int unpublished = ServerLog.linesWith(log, "FUTEXRA007").size();
        int earlierRefusals = ServerLog.linesWith(log, "FUTEXRA090", COPY, "resource-adapters").size(); // the log outlives a run
        assertFalse(before.spaces().isEmpty(), "the deployed copy has its space open: " + before.spaces());

        Exception refused = assertThrows(Exception.class, () -> deployer.deploy("copy"));
        try {
            List<String> explained = ServerLog.linesWith(log, "FUTEXRA090", COPY, "resource-adapters");
            assertTrue(explained.size() > earlierRefusals, "the failure names the other copy and the fix: " + refused);

            // a copy's JNA cleaner lingers ~30 s after disposal
            Snapshot after = RedeployLoop.awaitJnaCleanersGone(probe, before.threadsNamed("JNA Cleaner"),
                    Duration.ofSeconds(100));
            String evidence = "before: " + before.summary() + " spaces=" + before.spaces() + "\nafter: " + after.summary()
                    + " spaces=" + after.spaces() + "\nrefused: " + explained.get(explained.size() - 1);
            System.out.println(evidence);
            // nothing new: an earlier test's leftovers (shared server) may go meanwhile, nothing may come
            assertTrue(threads(before, "futex-ra").containsAll(threads(after, "futex-ra")), evidence);
            assertTrue(threads(after, "futex-ra").size() <= threads(before, "futex-ra").size(), evidence);
            assertTrue(before.spaces().containsAll(after.spaces()), evidence);
            assertTrue(after.spaces().size() <= before.spaces().size(), evidence);
            assertTrue(after.threadsNamed("JNA Cleaner") <= before.threadsNamed("JNA Cleaner"), evidence);
            assertEquals(opened, ServerLog.linesWith(log, "FUTEXRA003").size(), "the refused copy opened a space");
            assertEquals(unpublished, ServerLog.linesWith(log, "FUTEXRA007").size(), "the refused copy tried JMX");
        } finally {
            try {
                deployer.undeploy("copy");
            } catch (RuntimeException notDeployed) {
                // the failed deployment was rolled back already
            }
        }
    }

    private static List<String> threads(Snapshot s, String prefix) {
        return s.threads().stream().filter(t -> t.startsWith(prefix)).sorted().toList();
    }
}
