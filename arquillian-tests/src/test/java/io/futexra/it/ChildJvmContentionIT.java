package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.it.app.HammerServlet;
import io.futexra.it.app.UseServlet;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * The server (through LockFactory connections, in two threads) and a batch JVM (through the
 * standalone API, in two threads) contend for one lock: a plain counter in shared memory must end
 * at exactly the number of acquisitions, and the overlap detector must never trip.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChildJvmContentionIT {

    private static final int CHILD_THREADS = 2;
    private static final int CHILD_ITERATIONS = 100_000;
    private static final int SERVER_THREADS = 2;
    private static final int SERVER_ITERATIONS = 5_000;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("contention-it.war").addClasses(HammerServlet.class, UseServlet.class, SharedCounter.class);
    }

    @Test
    @OperateOnDeployment("app")
    void shouldTellTheServerThatTheBatchJvmHoldingTheLockWasKilled(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String lock = "it-killed-holder-" + UUID.randomUUID();
        long token;
        try (ChildJvm child = ChildJvm.start("hold", Deployments.spaceDirectory().toString(), "default", lock)) {
            token = Long.parseLong(ChildMain.field(child.awaitLine("HELD", Duration.ofSeconds(60)), "tokens"));
            child.kill9();
        }
        String[] answer = Http.get(app + "use?lock=" + lock, Duration.ofSeconds(30)).split(" ");
        assertEquals(token + 1, Long.parseLong(answer[1]), "the server's acquisition is the next one");
        assertEquals("true", answer[3], "the server is told the previous owner died");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldExcludeBetweenTheServerAndABatchJvmWithExactCount(@ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        String lock = "it-contended-" + UUID.randomUUID();
        Path dir = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "contention"));
        Path counterFile = dir.resolve("counter-" + lock);
        Path tokens = dir.resolve("tokens-" + lock);
        SharedCounter counter = SharedCounter.open(counterFile);
        try (ChildJvm child = ChildJvm.start("hammer", Deployments.spaceDirectory().toString(), "default", lock, counterFile.toString(),
                Integer.toString(CHILD_THREADS), Integer.toString(CHILD_ITERATIONS), tokens.toString())) {
            child.awaitLine("READY", Duration.ofSeconds(60));
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(app + "hammer?lock=" + lock + "&counter=" + counterFile + "&threads=" + SERVER_THREADS
                            + "&iterations=" + SERVER_ITERATIONS, Duration.ofSeconds(240));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("DONE " + SERVER_THREADS * SERVER_ITERATIONS, server.join());
            child.awaitLine("DONE", Duration.ofSeconds(240));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.transcript());
        }
        long total = (long) CHILD_THREADS * CHILD_ITERATIONS + (long) SERVER_THREADS * SERVER_ITERATIONS;
        assertEquals(0, counter.overlaps(), "two holders were inside the lock at once");
        assertEquals(total, counter.count(), "increments were lost: mutual exclusion failed");
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default")) {
            ObjectInfo info = space.objects().stream().filter(o -> o.name().equals(lock)).findFirst().orElseThrow();
            assertEquals(total, info.acquisitions(), info.toString());
            assertTrue(info.contendedAcquisitions() > 0, "the test must really contend: " + info);
            System.out.println("contention: " + info);
        }
    }
}
