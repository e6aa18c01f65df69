package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.ZkLockBean;
import io.futexra.it.app.ZkLockServlet;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RAR as built carries the ZooKeeper backend: in a real WildFly, an EJB opens a
 * {@code zookeeper:} space through the API and takes a lock that a standalone JVM holds through the
 * same (real, loopback) ZooKeeper server. It waits behind the JVM's hold (both lock nodes are seen
 * queued), gets the lock when the JVM releases, and its fencing token is larger.
 *
 * <p>The space is opened by URI through the API; a connection definition configured for ZooKeeper
 * (the adapter's {@code spaceUri} property) is not exercised here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ZooKeeperBackendIT {

    private static TestingServer zookeeper;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("zookeeper-it.war").addClasses(ZkLockBean.class, ZkLockServlet.class);
    }

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @Test
    @OperateOnDeployment("app")
    void shouldLetAnEjbTakeALockAStandaloneJvmHoldsThroughTheSameEnsemble(
            @ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        String space = "it-" + UUID.randomUUID();
        URI uri = URI.create("zookeeper://" + zookeeper.getConnectString() + "/futex-ra-it/" + space + "?sessionTimeout=10s");
        Path dir = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "zookeeper-it"));
        Path release = dir.resolve("release-" + space);
        try (ChildJvm jvm = ChildJvm.startClass(ZkHolderMain.class, uri.toString(), "nightly", release.toString());
             CuratorFramework watcher = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
            long jvmToken = Long.parseLong(jvm.awaitLine("HELD", Duration.ofSeconds(60)).split(" ")[1]);
            AtomicReference<Object> answer = new AtomicReference<>();
            Thread ejbCall = new Thread(() -> {
                try {
                    answer.set(Http.get(app + "zk-lock?lock=nightly&space="
                            + URLEncoder.encode(uri.toString(), StandardCharsets.UTF_8), Duration.ofSeconds(90)));
                } catch (Exception | Error e) {
                    answer.set(e);
                }
            }, "ejb-call");
            ejbCall.start();
            watcher.start();
            String lockNodes = "/futex-ra-it/" + space + "/objects/nightly/lock";
            AwaitState.until("the EJB queued behind the JVM's hold", () -> queued(watcher, lockNodes) == 2);
            assertEquals(null, answer.get(), "the EJB must still be waiting while the JVM holds the lock");
            Files.createFile(release);
            jvm.awaitLine("RELEASED", Duration.ofSeconds(60));
            ejbCall.join(Duration.ofSeconds(120).toMillis());
            assertTrue(answer.get() instanceof String, "the EJB call answered: " + answer.get());
            String[] words = ((String) answer.get()).split(" ");
            assertEquals(List.of("TOKEN", "DIED", "false"), List.of(words[0], words[2], words[3]), answer.get().toString());
            assertTrue(Long.parseLong(words[1]) > jvmToken, "the EJB's token " + words[1] + " > the JVM's " + jvmToken);
            assertEquals(0, jvm.awaitExit(Duration.ofSeconds(30)), jvm.transcript());
        }
    }

    /** How many lock nodes are queued under the lock (holder and waiters), 0 before there are any. */
    private static int queued(CuratorFramework client, String path) {
        try {
            return client.checkExists().forPath(path) == null ? 0 : client.getChildren().forPath(path).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
