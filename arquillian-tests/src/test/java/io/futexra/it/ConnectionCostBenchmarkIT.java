package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.BenchServlet;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Not part of the default build (excluded in the pom): measures, inside WildFly, what the EJB
 * idiom costs against the standalone API, and writes target/connection-cost.txt. Run with
 * {@code mvn verify -pl arquillian-tests -am -Dit.test=ConnectionCostBenchmarkIT -DskipPair=true}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConnectionCostBenchmarkIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("bench.war").addClass(BenchServlet.class);
    }

    @Test
    @OperateOnDeployment("app")
    void measureTheConnectionIdiomAgainstTheStandaloneApi(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String result = Http.get(app + "bench?ops=20000&rounds=15&dir=" + Deployments.spaceDirectory(),
                Duration.ofMinutes(5));
        Files.writeString(Path.of(System.getProperty("build.dir", "target"), "connection-cost.txt"), result,
                StandardCharsets.UTF_8);
        System.out.println("median ns/op:\n" + result);
        assertTrue(result.contains("standalone"));
    }
}
