package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.it.app.LeakServlet;
import io.futexra.testing.AwaitState;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application leaks a connection that holds a lock; the container's pool flush destroys the
 * managed connection on a management thread — not the thread that acquired — and that must release
 * the lock, as another process (this test JVM, through the standalone API) sees.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerCleanupIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("container-cleanup-it.war").addClass(LeakServlet.class);
    }

    @ArquillianResource
    private ManagementClient management;

    @Test
    @OperateOnDeployment("app")
    void shouldReleaseALeakedConnectionsLockWhenTheContainerDestroysIt(@ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        String name = "it-leaked-connection-" + UUID.randomUUID();
        assertTrue(Http.get(app + "leak?lock=" + name, Duration.ofSeconds(30)).startsWith("HELD"));
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default")) {
            assertEquals(Optional.empty(), space.lock(name).tryAcquire(), "the leaked connection holds it");

            ModelNode op = new ModelNode();
            op.get("operation").set("flush-all-connection-in-pool");
            ModelNode address = op.get("address");
            address.add("deployment", Deployments.RAR_NAME);
            address.add("subsystem", "resource-adapters");
            address.add("ironjacamar", "ironjacamar");
            address.add("resource-adapter", Deployments.RAR_NAME);
            address.add("connection-definitions", "java:/futex-ra/LockFactory");
            ModelNode result = management.getControllerClient().execute(op);
            assertEquals("success", result.get("outcome").asString(), result.toString());

            Optional<Held> after = Optional.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (after.isEmpty() && System.nanoTime() < deadline) {
                after = space.lock(name).tryAcquire();
                if (after.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertTrue(after.isPresent(), "destroying the leaked connection released the lock");
            after.get().close();
        }
        AwaitState.until("a warning naming the lock the container released (logged after the release)",
                () -> ServerLog.singleServerLogged("FUTEXRA011", name));
    }
}
