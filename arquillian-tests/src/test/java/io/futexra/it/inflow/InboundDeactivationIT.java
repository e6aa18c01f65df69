package io.futexra.it.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.it.Deployments;
import io.futexra.it.inflow.app.Record;
import io.futexra.it.inflow.app.SlowDrainListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying an MDB while signals keep arriving loses none that was consumed: every auto-reset
 * signal is either delivered to the MDB or still pending in the event afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InboundDeactivationIT {

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", order = 1, testable = false)
    @TargetsContainer("node-c")
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "drain", order = 2, testable = false, managed = false)
    @TargetsContainer("node-c")
    static JavaArchive drain() {
        return ShrinkWrap.create(JavaArchive.class, "inflow-drain.jar").addClasses(SlowDrainListener.class, Record.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + Deployments.RAR_NAME
                        + "\n"));
    }

    @Test
    void shouldLoseNoConsumedSignalWhenTheMdbIsUndeployedWhileSignalsArrive() throws Exception {
        deployer.deploy("drain");
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default")) {
            NamedEvent drain = space.event("inflow-drain", EventMode.AUTO_RESET);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger signalled = new AtomicInteger();
            Thread signaller = new Thread(() -> {
                while (!stop.get()) {
                    drain.signal();
                    signalled.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "signaller");
            signaller.start();
            Received.awaitLines("inflow-drain.received", l -> l.size() >= 50, Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            deployer.undeploy("drain"); // signals keep coming meanwhile
            long undeployMillis = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(300);
            stop.set(true);
            signaller.join(10_000);
            int delivered = Received.lines("inflow-drain.received").size();
            Thread.sleep(1000);
            assertEquals(delivered, Received.lines("inflow-drain.received").size(), "nothing delivered after undeploy");
            int pending = 0;
            while (drain.await(Duration.ZERO)) {
                pending++;
            }
            System.out.println("inflow-drain: signalled " + signalled.get() + ", delivered " + delivered + ", pending "
                    + pending + "; undeploy took " + undeployMillis + " ms");
            assertTrue(delivered >= 50, "delivered before the undeploy");
            assertTrue(pending > 0, "signals kept arriving after the undeploy");
            assertEquals(signalled.get(), delivered + pending, "delivered + still pending = signalled");
        }
    }
}
