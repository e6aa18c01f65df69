package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only ZooKeeper has, beyond the contracts ({@link ZooKeeperContractsTest} covers exclusion
 * across JVMs and a holder killed with SIGKILL): a server of three stopped while clients in
 * separate JVMs contend, a session expired under a holder, and a release while the only server is
 * down.
 */
class ZkCrossProcessTest {

    private static final int ROUNDS = 60;
    private static final Duration CHILD_GUARD = Duration.ofMinutes(2);

    @TempDir
    Path scratch;

    @Test
    void shouldKeepExclusionAndGoOnWhenOneOfThreeServersStops() throws Exception {
        try (TestingCluster cluster = ZkServers.cluster(3)) {
            cluster.start();
            URI uri = ZkServers.freshSpace(cluster.getConnectString(), "4s");
            hammer(uri, 2, () -> {
                TestingZooKeeperServer victim = cluster.getServers().get(0);
                try {
                    victim.stop();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    /** {@code children} JVMs take the lock ROUNDS times each; {@code midway} runs once they are under way. */
    private void hammer(URI uri, int children, Runnable midway) throws Exception {
        Path file = Files.createFile(scratch.resolve("counter"));
        SharedCounter counter = SharedCounter.open(file);
        ChildJvm[] jvms = new ChildJvm[children];
        try {
            for (int i = 0; i < children; i++) {
                jvms[i] = ChildJvm.startClass(ZkChild.class, "hammer", uri.toString(), "hammered", file.toString(),
                        Integer.toString(ROUNDS));
            }
            for (ChildJvm jvm : jvms) {
                jvm.awaitLine("ready", CHILD_GUARD);
            }
            AwaitState.until("a quarter of the work is done", () -> counter.count() >= (long) ROUNDS * children / 4);
            midway.run();
            for (ChildJvm jvm : jvms) {
                jvm.awaitLine("done", CHILD_GUARD);
                assertEquals(0, jvm.awaitExit(CHILD_GUARD), jvm.transcript());
            }
        } finally {
            for (ChildJvm jvm : jvms) {
                if (jvm != null) {
                    jvm.close();
                }
            }
        }
        assertEquals(0, counter.overlaps(), "two holders at once");
        assertEquals((long) ROUNDS * children, counter.count(), "lost increments: exclusion failed");
    }

    @Test
    void shouldTellAHolderWhoseSessionExpiredThatItNoLongerHolds() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = ZkServers.freshSpace(server.getConnectString(), "1s");
            try (LockSpace holderSpace = LockSpace.open(ZkServers.otherClient(uri, 1));
                 LockSpace otherSpace = LockSpace.open(ZkServers.otherClient(uri, 2))) {
                Held held = holderSpace.lock("expiring").acquire();
                assertTrue(held.isHeld());
                ZkServers.handle(holderSpace).client().getZookeeperClient().getZooKeeper().getTestable()
                        .injectSessionExpiration();
                AwaitState.until("the holder sees it lost the lock", () -> !held.isHeld());
                try (Held next = otherSpace.lock("expiring").acquire(AwaitState.HANG_GUARD)) {
                    assertTrue(next.previousOwnerDied(), "the expired holder is reported as dead");
                    assertTrue(next.fencingToken() > held.fencingToken());
                    assertFalse(held.isHeld(), "still lost after reconnecting in a new session");
                }
                held.close(); // the stale holder's release deletes nothing of the new holder's
                try (Held again = otherSpace.lock("expiring").acquire(AwaitState.HANG_GUARD)) {
                    assertFalse(again.previousOwnerDied());
                }
            }
        }
    }

    @Test
    void shouldReleaseWithoutFailingWhileTheServerIsDownAndFreeTheLockOnceItIsBack() throws Exception {
        try (TestingServer server = ZkServers.server()) {
            URI uri = ZkServers.freshSpace(server.getConnectString(), "4s");
            URI holderUri = URI.create(uri + "&connectionTimeout=300ms");
            try (LockSpace holderSpace = LockSpace.open(holderUri);
                 LockSpace otherSpace = LockSpace.open(ZkServers.otherClient(uri, 3))) {
                Held held = holderSpace.lock("cut-off").acquire();
                server.stop();
                AwaitState.until("the holder sees its connection suspended", () -> !held.isHeld());
                held.close(); // Curator's delete cannot reach the ensemble: it goes on in the background
                server.restart();
                try (Held next = otherSpace.lock("cut-off").acquire(AwaitState.HANG_GUARD)) {
                    assertTrue(next.fencingToken() > held.fencingToken());
                }
            }
        }
    }
}
