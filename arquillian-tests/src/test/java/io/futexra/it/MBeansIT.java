package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.it.app.MBeanServlet;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
 * Operators see holders, waiters and counters in the server over JMX: the adapter publishes each
 * space it opens as an MXBean; a lock held by another process (this test JVM) shows up there with
 * its holder's pid and token, and as free again once that holder releases it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MBeansIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("mbeans-it.war").addClass(MBeanServlet.class);
    }

    @Test
    @OperateOnDeployment("app")
    void shouldShowAnotherProcesssHolderThroughTheServersMBean(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String name = "it-mbean-" + UUID.randomUUID();
        String query = app + "mbean?space=default&object=" + name;
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default");
             Held held = space.lock(name).acquire(Duration.ofSeconds(5))) {
            Map<String, String> seen = parse(Http.get(query, Duration.ofSeconds(30)));
            assertEquals("true", seen.get("registered"), seen.toString());
            assertEquals("LOCK", seen.get("kind"), seen.toString());
            assertEquals(Long.toString(ProcessHandle.current().pid()), seen.get("holderPid"),
                    "the server's MBean names this JVM as the holder: " + seen);
            assertEquals(Long.toString(held.fencingToken()), seen.get("fencingToken"));
            assertTrue(Integer.parseInt(seen.get("heldCount")) >= 1, seen.toString());
        }
        Map<String, String> after = parse(Http.get(query, Duration.ofSeconds(30)));
        assertEquals("0", after.get("holderPid"), "released: " + after);
        assertEquals("1", after.get("acquisitions"), after.toString());
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> values = new HashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
