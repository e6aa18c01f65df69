package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.it.app.LeakingBean;
import io.futexra.it.app.LeakingBeanServlet;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * The safety net of docs/wildfly.md, set up as it says: with the cached connection manager's {@code debug=true}
 * (then a reload, as it says), an EJB that leaks a connection holding a lock
 * has the connection closed by the container at the end of its invocation ({@code IJ000100}, never
 * {@code IJ000102}: the handle's class and its {@code close()} must be reachable by reflection), the
 * lock is free for another process (this test JVM), and {@code FUTEXRA010} names the lock. The test
 * sets {@code debug} back to false (and reloads) afterwards, for the other tests of the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CachedConnectionCloseIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("cached-connection-close-it.war").addClasses(LeakingBean.class, LeakingBeanServlet.class);
    }

    @Test
    @OperateOnDeployment("app")
    void shouldHaveTheContainerCloseALeakedConnectionAndFreeItsLock(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String name = "it-ccm-leak-" + UUID.randomUUID();
        Path log = ServerLog.singleServerFromClient();
        try {
            setDebugAndReload(true);
            long linesBefore = Files.readAllLines(log, StandardCharsets.UTF_8).size();
            String reply = Http.get(app + "leak-in-bean?lock=" + name, Duration.ofSeconds(30));
            assertTrue(reply.startsWith("HELD "), reply);
            try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default")) {
                Optional<Held> taken = awaitFree(space, name);
                assertTrue(taken.isPresent(), "the container closed the leaked connection, which released the lock");
                assertEquals(Long.parseLong(reply.substring(5)) + 1, taken.get().fencingToken(),
                        "the next acquisition after the leaked one");
                taken.get().close();
            }
            List<String> newLines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().skip(linesBefore).toList();
            assertTrue(newLines.stream().anyMatch(l -> l.contains("IJ000100")),
                    "the cached connection manager closed the leaked connection: " + newLines);
            assertFalse(newLines.stream().anyMatch(l -> l.contains("IJ000102")),
                    "no IJ000102 (the container could not call close()): " + newLines);
            assertTrue(newLines.stream().anyMatch(l -> l.contains("FUTEXRA010") && l.contains(name)),
                    "a warning names the lock the close released: " + newLines);
        } finally {
            setDebugAndReload(false);
        }
    }

    /** The lock, taken by this process as soon as it is free (hang guard 30 s), or empty. */
    private static Optional<Held> awaitFree(LockSpace space, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<Held> taken = space.lock(name).tryAcquire();
        while (taken.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            taken = space.lock(name).tryAcquire();
        }
        return taken;
    }

    /**
     * Writes the cached connection manager's {@code debug} and reloads, with the jboss-cli lines
     * docs/wildfly.md gives: the CLI's {@code reload} waits until the server has gone down and come
     * back "running" (a management client that only polls {@code server-state} can read "running"
     * from the server before its reload has begun, and go on while it reboots).
     */
    private static void setDebugAndReload(boolean debug) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "cached-connection-it"));
        JbossCli.run(work.resolve("debug-" + debug + ".cli"), List.of(
                "/subsystem=jca/cached-connection-manager=cached-connection-manager:write-attribute(name=debug,value=" + debug + ")",
                "reload"));
    }
}
