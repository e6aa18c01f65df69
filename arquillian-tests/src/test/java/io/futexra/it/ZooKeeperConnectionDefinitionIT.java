package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.ZkDefinitionBean;
import io.futexra.it.app.ZkDefinitionServlet;
import io.futexra.it.app.ZkImportDoneMdb;
import io.futexra.it.app.ZkNightlyDeathMdb;
import io.futexra.it.inflow.Received;
import io.futexra.it.inflow.app.Record;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one RAR configured for ZooKeeper in a real WildFly, the way docs/ejbs-and-mdbs.md documents it: jboss-cli
 * (run for real, {@code jboss-cli.sh --file}) activates a second instance of the deployed
 * futex-ra.rar with a connection definition whose {@code spaceUri} names a space on a real
 * ZooKeeper server on loopback, then deploys an application whose EJB gets that definition's
 * {@code LockFactory} injected and whose MDBs name the same space (activation property
 * {@code spaceUri}). A standalone child JVM opens the same space through {@code LockSpace.open(URI)}:
 * <ul>
 * <li>the EJB waits behind the JVM's hold (its lock node is seen queued) and gets the lock when
 *     the JVM releases, with a larger fencing token; while the EJB holds, the JVM's
 *     {@code tryAcquire} fails;</li>
 * <li>{@code acquireForTransaction} in a container-managed transaction holds the lock after the
 *     connection is closed, until the transaction ends — released at commit and at rollback;</li>
 * <li>an MDB on a named event is delivered the JVM's signal once; an MDB on a lock's owner death
 *     is told once, with the dead hold's token, when the JVM holding the lock is killed -9 (after
 *     its ZooKeeper session expires); the next holder is told {@code previousOwnerDied}.</li>
 * </ul>
 * Afterwards the application is undeployed and the instance removed (with the reload WildFly asks
 * for), as docs/ejbs-and-mdbs.md says, so the server's other tests see it as before; both instances of the RAR
 * stop cleanly at that reload (no {@code WFLYJCA0097}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ZooKeeperConnectionDefinitionIT {

    private static final String APP = "zk-definition-it.war";
    /** The server's session: 10 s, ZooKeeper's default, which the test server's 500 ms tick allows (1 to 10 s). */
    private static final String SERVER_SESSION = "?sessionTimeout=10s";
    /** The standalone JVMs' session, short: a killed holder's lock is freed this long after its death. */
    private static final String PEER_SESSION = "?sessionTimeout=4s";
    private static final Duration GUARD = Duration.ofSeconds(90);
    /** How long "nothing more arrives" is watched for after a delivery (as in InboundEventsIT): the one wait on time. */
    private static final long QUIET_MILLIS = 1_500;

    private static TestingServer zookeeper;
    private static Path work;
    /** The space, without a session option: {@code zookeeper://127.0.0.1:PORT/futex-ra-it/NAME}. */
    private static String space;
    private static String spaceName;
    private static ZkPeer peer;
    private static boolean configured;
    /** Failures to stop a resource adapter the server had logged before this test (WFLYJCA0097). */
    private static int stopFailuresBefore;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    /** The jboss-cli lines docs/ejbs-and-mdbs.md gives for a connection definition on ZooKeeper, for {@code uri}. */
    static List<String> definitionCommands(String uri) {
        return List.of(
                "/subsystem=resource-adapters/resource-adapter=futex-zk:add(archive=futex-ra.rar, transaction-support=NoTransaction)",
                "/subsystem=resource-adapters/resource-adapter=futex-zk/connection-definitions=zk:add(class-name=io.futexra.jca.FutexManagedConnectionFactory, jndi-name=" + ZkDefinitionBean.JNDI_NAME + ")",
                "/subsystem=resource-adapters/resource-adapter=futex-zk/connection-definitions=zk/config-properties=spaceUri:add(value=\"" + uri + "\")",
                "/subsystem=resource-adapters/resource-adapter=futex-zk:activate");
    }

    /** The jboss-cli lines docs/ejbs-and-mdbs.md gives to remove it again (a removed instance stays bound until the reload). */
    static List<String> removalCommands() {
        return List.of("/subsystem=resource-adapters/resource-adapter=futex-zk:remove", "reload");
    }

    @BeforeAll
    static void configureTheServer() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
        spaceName = "cd-" + UUID.randomUUID();
        space = "zookeeper://" + zookeeper.getConnectString() + "/futex-ra-it/" + spaceName;
        work = Files.createDirectories(Path.of(System.getProperty("build.dir", "target"), "zookeeper-definition-it",
                spaceName));
        Path war = work.resolve(APP);
        app().as(ZipExporter.class).exportTo(war.toFile(), true);
        List<String> commands = new ArrayList<>(definitionCommands(space + SERVER_SESSION));
        commands.add("deploy " + war);
        stopFailuresBefore = stopFailures();
        JbossCli.run(work.resolve("configure.cli"), commands);
        configured = true;
        peer = ZkPeer.start(URI.create(space + PEER_SESSION), work.resolve("peer"));
    }

    @AfterAll
    static void restoreTheServer() throws Exception {
        try {
            if (peer != null) {
                peer.close();
            }
            if (configured) {
                List<String> commands = new ArrayList<>(List.of("undeploy " + APP));
                commands.addAll(removalCommands());
                JbossCli.run(work.resolve("restore.cli"), commands);
                // the reload stopped both instances of the RAR: each closed its spaces, and JNA went only
                // after the last (the first used to dispose it under the other: UnsatisfiedLinkError)
                assertEquals(stopFailuresBefore, stopFailures(), "the adapter instances stopped cleanly at the reload");
            }
        } finally {
            zookeeper.close();
        }
    }

    /** The application: the EJB on the definition, and the two MDBs given the space by ejb-jar.xml. */
    private static WebArchive app() {
        String mdbSpace = "<activation-config><activation-config-property>"
                + "<activation-config-property-name>spaceUri</activation-config-property-name>"
                + "<activation-config-property-value>" + space + SERVER_SESSION + "</activation-config-property-value>"
                + "</activation-config-property></activation-config>";
        String ejbJar = "<ejb-jar xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\"><enterprise-beans>"
                + "<message-driven><ejb-name>" + ZkImportDoneMdb.class.getSimpleName() + "</ejb-name>" + mdbSpace
                + "</message-driven>"
                + "<message-driven><ejb-name>" + ZkNightlyDeathMdb.class.getSimpleName() + "</ejb-name>" + mdbSpace
                + "</message-driven>"
                + "</enterprise-beans></ejb-jar>";
        return Deployments.war(APP).addClasses(ZkDefinitionBean.class, ZkDefinitionServlet.class, ZkImportDoneMdb.class,
                ZkNightlyDeathMdb.class, Record.class).addAsWebInfResource(new StringAsset(ejbJar), "ejb-jar.xml");
    }

    @Test
    void shouldLetTheEjbTakeALockTheStandaloneJvmHoldsOnceItIsReleased() throws Exception {
        String lock = "queued-" + UUID.randomUUID();
        long jvmToken = Long.parseLong(peer.ask("hold " + lock).split(" ")[1]);
        try (CuratorFramework watcher = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
            watcher.start();
            HttpCall ejb = HttpCall.start(op("once", lock, null), GUARD);
            String lockNodes = "/futex-ra-it/" + spaceName + "/objects/" + lock + "/lock";
            List<List<String>> seen = new ArrayList<>(List.of(List.of()));
            AwaitState.until(() -> "the EJB queued behind the JVM's hold (children last seen: " + seen.get(0)
                    + ", the EJB's answer: " + ejb.soFar() + ")", () -> {
                        seen.set(0, children(watcher, lockNodes));
                        // lock nodes only: the holders' "previous owner died" markers share the parent
                        return seen.get(0).stream().filter(n -> n.contains("-lock-")).count() == 2;
                    });
            assertNull(ejb.soFar(), "the EJB must still be waiting while the JVM holds the lock");
            assertEquals("RELEASED", peer.ask("release " + lock));
            String[] words = ejb.await().split(" ");
            assertEquals(List.of("TOKEN", "DIED", "false"), List.of(words[0], words[2], words[3]), String.join(" ", words));
            assertTrue(Long.parseLong(words[1]) > jvmToken, "the EJB's token " + words[1] + " > the JVM's " + jvmToken);
        }
    }

    @Test
    void shouldKeepTheStandaloneJvmOutWhileTheEjbHoldsTheLock() throws Exception {
        assertHeldByTheServerUntilReleased("hold", "TOKEN ");
    }

    @Test
    void shouldHoldATransactionsLockUntilTheTransactionCommits() throws Exception {
        assertHeldByTheServerUntilReleased("commit", "TOKEN ");
    }

    @Test
    void shouldReleaseATransactionsLockWhenTheTransactionRollsBack() throws Exception {
        assertHeldByTheServerUntilReleased("rollback", "ROLLED_BACK java.lang.IllegalStateException: deliberate failure");
    }

    /**
     * The EJB takes a lock through {@code op} and records its token; meanwhile the JVM's
     * {@code tryAcquire} fails; once the EJB lets go (the method returns, the transaction ends)
     * the JVM's {@code tryAcquire} succeeds at once with a larger token.
     */
    private static void assertHeldByTheServerUntilReleased(String op, String answerStart) throws Exception {
        String lock = op + "-" + UUID.randomUUID();
        Path release = work.resolve("release-" + lock);
        HttpCall ejb = HttpCall.start(op(op, lock, release), GUARD);
        List<String> held = Received.awaitLines("held-" + lock, l -> !l.isEmpty(), GUARD);
        assertEquals(1, held.size(), "the EJB recorded its hold: " + held + ", answer " + ejb.soFar());
        long serverToken = Long.parseLong(held.get(0));
        assertEquals("TAKEN", peer.ask("try " + lock), "the JVM's tryAcquire while the EJB holds");
        assertNull(ejb.soFar(), "the EJB holds until the test lets it go");
        Files.createFile(release);
        String answer = ejb.await();
        assertTrue(answer.startsWith(answerStart), answer);
        String[] free = peer.ask("try " + lock).split(" ");
        assertEquals("FREE", free[0], "the JVM's tryAcquire right after the EJB's call returned");
        assertTrue(Long.parseLong(free[1]) > serverToken, "the JVM's token " + free[1] + " > the EJB's " + serverToken);
    }

    @Test
    void shouldDeliverTheStandaloneJvmsSignalToTheMdbOnTheZooKeeperSpace() throws Exception {
        String file = ZkImportDoneMdb.EVENT + ".received";
        assertEquals(List.of(), Received.lines(file), "no delivery before the signal");
        assertEquals("SIGNALED", peer.ask("signal " + ZkImportDoneMdb.EVENT));
        Received.awaitLines(file, l -> !l.isEmpty(), GUARD);
        Thread.sleep(QUIET_MILLIS); // a second delivery of the one signal would land now
        assertEquals(List.of("1 " + spaceName), Received.lines(file), "one delivery, the first, in the ZooKeeper space");
    }

    @Test
    void shouldTellTheMdbWhenTheStandaloneJvmHoldingTheLockIsKilled() throws Exception {
        String file = ZkNightlyDeathMdb.LOCK + ".deaths";
        long deadToken;
        long killedAt;
        try (ZkPeer dying = ZkPeer.start(URI.create(space + PEER_SESSION), work.resolve("dying"))) {
            String[] held = dying.ask("hold " + ZkNightlyDeathMdb.LOCK).split(" ");
            deadToken = Long.parseLong(held[1]);
            assertEquals(List.of(), Received.lines(file), "a live holder is not reported");
            dying.jvm.kill9();
            killedAt = System.nanoTime();
        }
        Received.awaitLines(file, l -> !l.isEmpty(), GUARD);
        System.out.println("zookeeper owner death reported " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
                + " ms after kill -9 (holder's session timeout 4 s)");
        Thread.sleep(QUIET_MILLIS); // a second notice of the one death would land now
        assertEquals(List.of(ZkNightlyDeathMdb.LOCK + " " + deadToken), Received.lines(file), "one notice, naming the dead hold");
        String[] next = peer.ask("hold " + ZkNightlyDeathMdb.LOCK).split(" ");
        assertEquals("true", next[2], "the next holder is told the previous owner died");
        assertTrue(Long.parseLong(next[1]) > deadToken, "the next token " + next[1] + " > the dead one's " + deadToken);
        assertEquals("RELEASED", peer.ask("release " + ZkNightlyDeathMdb.LOCK));
    }

    private static int stopFailures() throws IOException {
        return ServerLog.linesWith(ServerLog.singleServerFromClient(), "WFLYJCA0097").size();
    }

    private static String op(String op, String lock, Path release) {
        int offset = Integer.getInteger("it.offset.single", 0);
        return "http://127.0.0.1:" + (8080 + offset) + "/" + APP.replace(".war", "") + "/zk-definition?op=" + op
                + "&lock=" + lock + (release == null ? "" : "&release=" + release);
    }

    /** How many nodes are under {@code path}, 0 before it exists. */
    /** The children of {@code path}; none if it does not exist. */
    private static List<String> children(CuratorFramework client, String path) {
        try {
            return client.checkExists().forPath(path) == null ? List.of() : client.getChildren().forPath(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    /** A {@link ZkPeerMain} child JVM, and the commands it is given (files 1, 2, … in its directory). */
    static final class ZkPeer implements AutoCloseable {
        final ChildJvm jvm;
        private final Path commands;
        private int next;

        private ZkPeer(ChildJvm jvm, Path commands) {
            this.jvm = jvm;
            this.commands = commands;
        }

        static ZkPeer start(URI space, Path commands) throws IOException, InterruptedException {
            Files.createDirectories(commands);
            ZkPeer peer = new ZkPeer(ChildJvm.startClass(ZkPeerMain.class, space.toString(), commands.toString()), commands);
            peer.jvm.awaitLine("READY", GUARD);
            return peer;
        }

        /** Gives the next command, waits for its answer; returns the answer without its number. */
        String ask(String command) throws IOException, InterruptedException {
            int n = ++next;
            Path draft = commands.resolve(n + ".draft");
            Files.writeString(draft, command, StandardCharsets.UTF_8);
            Files.move(draft, commands.resolve(Integer.toString(n)), StandardCopyOption.ATOMIC_MOVE);
            return jvm.awaitLine(n + " ", GUARD).substring((n + " ").length());
        }

        @Override
        public void close() {
            jvm.close();
        }
    }
}
