package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.ZkDefinitionBean;
import io.futexra.it.app.ZkTxLossBean;
import io.futexra.it.app.ZkTxLossServlet;
import io.futexra.it.inflow.Received;
import io.futexra.it.inflow.app.Record;
import io.futexra.testing.AwaitState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JTA transaction whose ZooKeeper lock is lost before commit rolls back, in a real WildFly,
 * through the adapter: jboss-cli configures the connection definition on a real ZooKeeper server
 * (as {@link ZooKeeperConnectionDefinitionIT} does), an EJB takes the lock with
 * {@code acquireForTransaction}, inserts a row into WildFly's ExampleDS and waits; the test deletes
 * the lock's ephemeral node (as an operator's cleanup would), then lets the EJB return: the
 * container's commit becomes a rollback and the row is not there. Without the deletion the same
 * call commits its row (so the test can tell the two apart).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ZooKeeperTransactionLossIT {

    private static final String APP = "zk-tx-loss-it.war";
    private static final Duration GUARD = Duration.ofSeconds(90);

    private static TestingServer zookeeper;
    private static Path work;
    private static String spaceName;
    private static boolean configured;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @BeforeAll
    static void configureTheServer() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
        spaceName = "tx-" + UUID.randomUUID();
        String space = "zookeeper://" + zookeeper.getConnectString() + "/futex-ra-it/" + spaceName + "?sessionTimeout=10s";
        work = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "zookeeper-tx-loss-it",
                spaceName));
        Path war = work.resolve(APP);
        app().as(ZipExporter.class).exportTo(war.toFile(), true);
        List<String> commands = new ArrayList<>(ZooKeeperConnectionDefinitionIT.definitionCommands(space));
        commands.add("deploy " + war);
        JbossCli.run(work.resolve("configure.cli"), commands);
        configured = true;
    }

    @AfterAll
    static void restoreTheServer() throws Exception {
        try {
            if (configured) {
                List<String> commands = new ArrayList<>(List.of("undeploy " + APP));
                commands.addAll(ZooKeeperConnectionDefinitionIT.removalCommands());
                JbossCli.run(work.resolve("restore.cli"), commands);
            }
        } finally {
            zookeeper.close();
        }
    }

    private static WebArchive app() {
        return Deployments.war(APP).addClasses(ZkDefinitionBean.class, ZkTxLossBean.class, ZkTxLossServlet.class,
                Record.class);
    }

    @Test
    void shouldRollBackTheTransactionWhoseZooKeeperLockNodeWasDeletedBeforeCommit() throws Exception {
        String lock = "lost-" + UUID.randomUUID();
        String row = UUID.randomUUID().toString();
        Path release = work.resolve("release-" + lock);
        HttpCall ejb = HttpCall.start(url("work", lock, row, release), GUARD);
        assertEquals(1, Received.awaitLines("held-" + lock, l -> !l.isEmpty(), GUARD).size(),
                "the EJB holds the lock and wrote its row");
        String lockDir = "/futex-ra-it/" + spaceName + "/objects/" + lock + "/lock";
        try (CuratorFramework rogue = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
            rogue.start();
            assertTrue(rogue.blockUntilConnected(60, TimeUnit.SECONDS));
            int deleted = 0;
            for (String child : rogue.getChildren().forPath(lockDir)) {
                if (rogue.checkExists().forPath(lockDir + "/" + child).getEphemeralOwner() != 0) {
                    rogue.delete().forPath(lockDir + "/" + child);
                    deleted++;
                }
            }
            assertEquals(1, deleted, "the EJB's lock node was deleted");
        }
        AwaitState.until("the server logged the loss of " + lock, () -> ServerLog.singleServerLogged("FUTEXRA022", lock));
        assertNull(ejb.soFar(), "the EJB is still in its transaction");
        Files.createFile(release);
        String answer = ejb.await();
        assertTrue(answer.startsWith("ROLLED_BACK"), "the commit of work done after the lock was lost: " + answer);
        assertEquals("0", Http.get(url("rows", lock, row, null), GUARD), "the row written under the lost lock");
    }

    @Test
    void shouldCommitTheWorkOfATransactionThatKeptItsZooKeeperLock() throws Exception {
        String lock = "kept-" + UUID.randomUUID();
        String row = UUID.randomUUID().toString();
        Path release = work.resolve("release-" + lock);
        HttpCall ejb = HttpCall.start(url("work", lock, row, release), GUARD);
        Received.awaitLines("held-" + lock, l -> !l.isEmpty(), GUARD);
        Files.createFile(release);
        String answer = ejb.await();
        assertTrue(answer.startsWith("COMMITTED TOKEN "), answer);
        assertEquals("1", Http.get(url("rows", lock, row, null), GUARD), "the row written under the kept lock");
    }

    private static String url(String op, String lock, String row, Path release) {
        int offset = Integer.getInteger("it.offset.single", 0);
        return "http://127.0.0.1:" + (8080 + offset) + "/" + APP.replace(".war", "") + "/zk-tx-loss?op=" + op
                + "&lock=" + lock + "&id=" + row + (release == null ? "" : "&release=" + release);
    }
}
