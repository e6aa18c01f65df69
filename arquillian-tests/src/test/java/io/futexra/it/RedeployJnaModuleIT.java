package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The redeploy loop with JNA as the static {@code com.sun.jna} module (installed into the test
 * server by the build, as README describes) and a RAR without its own JNA: no native library is
 * added by any redeploy — the module's one copy of libjnidispatch serves every round.
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

    @Override
    void checkNativeLibraries(Snapshot before, List<Snapshot> deployed, Snapshot settled, String evidence) {
        assertTrue(deployed.get(0).maps().size() <= before.maps().size() + 1,
                "the module loads at most one jnidispatch:\n" + evidence);
        for (Snapshot round : deployed) {
            assertEquals(deployed.get(0).maps(), round.maps(), "no redeploy may map another jnidispatch:\n" + evidence);
        }
        assertEquals(deployed.get(0).maps(), settled.maps(), "undeploy keeps the module's one copy, nothing else:\n"
                + evidence);
    }
}
