package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The redeploy loop with futex-ra.rar as built: JNA bundled. Each deployment leaves two copies of
 * libjnidispatch mapped — WildFly's RaNativeProcessor System.load()s every .so inside a RAR into the
 * connector subsystem's class loader (never unloaded), and JNA's own extracted copy stays until the
 * old deployment's class loader is collected. Bounded here so that anything more fails;
 * {@link RedeployJnaModuleIT} shows the static module that avoids both.
 */
class RedeployBundledJnaIT extends RedeployLoop {

    @Deployment(name = "probe", order = 1, testable = false)
    static WebArchive probeWar() {
        return probe();
    }

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "use", managed = false, testable = false)
    static WebArchive useWar() {
        return use();
    }

    @Override
    String variant() {
        return "bundled-jna";
    }

    @Override
    int sharedJnaCleaners() {
        return 0;
    }

    @Override
    void checkNativeLibraries(Snapshot before, List<Snapshot> deployed, Snapshot settled, String evidence) {
        assertTrue(settled.maps().size() <= before.maps().size() + 2 * ROUNDS,
                "more than two jnidispatch copies per RAR deployment:\n" + evidence);
    }
}
