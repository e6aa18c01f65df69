package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The redeploy loop with JNA as the static {@code com.sun.jna} module (installed into the test
 * server by the build, as docs/wildfly.md describes) and a RAR without its own JNA: no native library is
 * added by any redeploy — the module's one copy of libjnidispatch serves every round — and no
 * undeployed copy of the adapter's classes stays loaded, though JNA outlives them all (the adapter
 * unbinds its classes from the shared JNA at undeploy: {@code NativeDisposal}).
 */
class RedeployJnaModuleIT extends RedeployLoop {

    @Deployment(name = "probe", order = 1, testable = false)
    static WebArchive probeWar() {
        return probe();
    }

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rarUsingJnaModule();
    }

    @Deployment(name = "use", managed = false, testable = false)
    static WebArchive useWar() {
        return use();
    }

    @Override
    String variant() {
        return "jna-module";
    }

    @Override
    int sharedJnaCleaners() {
        return 1;
    }

    /**
     * Counts, not lists: the server is shared with other tests of its execution, whose leftover
     * native copies may be unmapped (their class loaders collected) while this test runs, so only
     * growth is a leak here.
     */
    @Override
    void checkNativeLibraries(Snapshot before, List<Snapshot> deployed, Snapshot settled, String evidence) {
        int first = deployed.get(0).maps().size();
        assertTrue(first <= before.maps().size() + 1, "the module loads at most one jnidispatch:\n" + evidence);
        for (Snapshot round : deployed) {
            assertTrue(round.maps().size() <= first, "no redeploy may map another jnidispatch:\n" + evidence);
        }
        assertTrue(settled.maps().size() <= first, "undeploy keeps the module's one copy, nothing else:\n" + evidence);
    }
}
