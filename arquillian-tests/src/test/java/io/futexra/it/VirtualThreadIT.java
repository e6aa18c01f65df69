package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.futexra.it.app.VirtualThreadServlet;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside WildFly, through the RAR: a servlet's code on a virtual thread takes and releases a lock
 * of a connection ({@link VirtualThreadServlet}). Needs the server on Java 21+: run the
 * single-server suite with {@code -Dserver.java.home=/usr/lib/jvm/temurin-25-jdk-amd64}; on an
 * older server JVM it is skipped by assumption.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VirtualThreadIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("virtual-thread-it.war").addClass(VirtualThreadServlet.class);
    }

    @Test
    void shouldTakeAndReleaseALockOnAVirtualThreadOfAServlet(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String reply = Http.get(app + "virtual?lock=it-virtual-" + UUID.randomUUID(), Duration.ofSeconds(90));
        Assumptions.assumeFalse(reply.startsWith("NO-VIRTUAL-THREADS"), () -> "virtual threads need the server on"
                + " Java 21+ (-Dserver.java.home): " + reply);
        assertEquals("VIRTUAL=true HELD=true FREE=true", reply);
    }
}
