package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.testing.AwaitState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest authentication and the ACL of every node futex-ra creates, against real servers: one
 * that accepts anyone (the module's shared server) and one that requires digest authentication
 * ({@code zookeeper.enforce.auth.enabled}). Rogue clients are plain Curator clients, as an
 * operator's script would be.
 */
class ZkAuthTest {

    private static final String SECRET = "s3cret-Pa55";

    @TempDir
    Path dir;

    @Test
    void shouldLetNoOtherIdentityDeleteALockNodeNorForgeAMarker() throws Exception {
        String connect = ZkServers.shared().getConnectString();
        Path file = credentials("futex:" + SECRET);
        URI uri = withCredentials(ZkServers.freshSpace(connect, "10s"), file);
        try (LockSpace space = LockSpace.open(uri);
             CuratorFramework anonymous = rogue(connect, null);
             CuratorFramework impostor = rogue(connect, "futex:wrong-password")) {
            Held lock = space.lock("guarded").acquire();
            Held write = space.readWriteLock("guarded-rw").writeLock().acquire();
            Held permit = space.semaphore("guarded-permits", 1).acquire();
            ZkSpace handle = ZkServers.handle(space);
            for (CuratorFramework rogue : List.of(anonymous, impostor)) {
                for (String node : ephemeralsUnder(rogue, handle.path())) {
                    assertThrows(KeeperException.NoAuthException.class, () -> rogue.delete().forPath(node),
                            "deleting " + node);
                    assertThrows(KeeperException.NoAuthException.class, () -> rogue.setData().forPath(node, new byte[1]),
                            "overwriting " + node);
                }
                String lockDir = handle.objectPath("guarded") + "/lock";
                assertThrows(KeeperException.NoAuthException.class,
                        () -> rogue.create().withMode(CreateMode.PERSISTENT).forPath(lockDir + "/marker-forged"),
                        "forging an owner-death marker of a plain lock");
                assertThrows(KeeperException.NoAuthException.class,
                        () -> rogue.create().forPath(handle.objectPath("guarded-rw") + "/owners/ffff", new byte[0]),
                        "forging an owner-death marker of a write lock");
                assertThrows(KeeperException.NoAuthException.class,
                        () -> rogue.delete().deletingChildrenIfNeeded().forPath(handle.path()), "deleting the space");
            }
            assertTrue(lock.isHeld() && write.isHeld() && permit.isHeld(), "the holds survived the rogues");
            permit.close();
            write.close();
            lock.close();
            try (LockSpace sameIdentity = LockSpace.open(withCredentials(ZkServers.otherClient(uri, 1), file));
                 Held again = sameIdentity.lock("guarded").acquire(AwaitState.HANG_GUARD)) {
                assertFalse(again.previousOwnerDied(), "another session of the same identity takes the lock normally");
            }
            space.event("guarded-event", EventMode.AUTO_RESET).signal();
            space.event("guarded-manual", EventMode.MANUAL_RESET).signal();
            assertEveryNodeCarriesTheCreatorAcl(anonymous, handle.path());
        }
    }

    @Test
    void shouldTellAClientWithoutCredentialsThatItMayNotOpenAProtectedSpace() throws Exception {
        String connect = ZkServers.shared().getConnectString();
        URI uri = withCredentials(ZkServers.freshSpace(connect, "10s"), credentials("futex:" + SECRET));
        try (LockSpace space = LockSpace.open(uri)) {
            space.lock("x");
            URI bare = URI.create(uri.toString().substring(0, uri.toString().indexOf('?')) + "?sessionTimeout=2002ms");
            FutexRaException e = assertThrows(FutexRaException.class, () -> LockSpace.open(bare).close());
            assertTrue(e.getMessage().contains("refused this client") && e.getMessage().contains("digestFile"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));
        }
    }

    @Test
    void shouldTellAClientWithoutCredentialsClearlyWhenTheEnsembleRequiresAuthentication() throws Exception {
        try (TestingServer server = enforcingServer()) {
            URI uri = ZkServers.freshSpace(server.getConnectString(), "10s");
            FutexRaException e = assertThrows(FutexRaException.class, () -> LockSpace.open(uri).close());
            assertTrue(e.getMessage().contains("refused this client") && e.getMessage().contains("no credentials"),
                    e.getMessage());
            try (LockSpace space = LockSpace.open(withCredentials(uri, credentials("futex:" + SECRET)));
                 Held held = space.lock("enforced").acquire()) {
                assertTrue(held.isHeld(), "with credentials the space opens and locks work");
            }
        }
    }

    @Test
    void shouldRefuseCredentialsThatAreMissingOrReadableByOthersWithoutShowingTheSecret() throws Exception {
        String base = ZkServers.freshSpace("127.0.0.1:1", "10s").toString();
        Path open = Files.writeString(dir.resolve("open.cred"), "futex:" + SECRET);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path garbled = credentials(SECRET);
        Map<String, String> refusals = Map.of(
                base + "&digestFile=" + dir.resolve("missing"), "no such",
                base + "&digestFile=" + open, "chmod 600",
                base + "&digestFile=" + garbled, "USER:PASSWORD",
                base + "&digestFile=relative/file", "absolute",
                base + "&digestEnv=FUTEX_RA_NO_SUCH_VARIABLE", "is not set",
                base + "&acl=everyone", "neither creator nor open",
                base + "&digestFile=" + credentials("a:b") + "&digestEnv=A", "twice");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LockSpace.open(URI.create(refusal.getKey())), refusal.getKey());
            assertTrue(e.getMessage().contains(refusal.getValue()) && e.getMessage().contains("zookeeper://HOST:PORT"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), "the secret is never shown: " + e.getMessage());
        }
        ZkAddress fromEnvironment = ZkAddress.of(URI.create(base + "&digestEnv=ZK_CRED"),
                name -> name.equals("ZK_CRED") ? "futex:" + SECRET : null);
        assertEquals("futex", fromEnvironment.credentials().user());
        assertTrue(fromEnvironment.creatorAcl(), "credentials make the creator-only ACL the default");
        assertFalse(fromEnvironment.toString().contains(SECRET) || fromEnvironment.credentials().toString().contains(SECRET)
                || fromEnvironment.clientKey().contains(SECRET));
    }

    /** A file of mode 600 holding {@code content}. */
    private Path credentials(String content) throws Exception {
        Path file = Files.createTempFile(dir, "zk", ".cred");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, content + "\n");
        return file;
    }

    private static URI withCredentials(URI uri, Path file) {
        return URI.create(uri + "&digestFile=" + file);
    }

    private static CuratorFramework rogue(String connect, String digest) throws InterruptedException {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder().connectString(connect)
                .retryPolicy(new RetryOneTime(100));
        if (digest != null) {
            builder.authorization("digest", digest.getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework client = builder.build();
        client.start();
        assertTrue(client.blockUntilConnected(60, TimeUnit.SECONDS));
        return client;
    }

    /**
     * A server that closes the session of a client that has not authenticated with digest: the
     * ZooKeeper server reads these properties when it is made.
     */
    private static TestingServer enforcingServer() throws Exception {
        System.setProperty("zookeeper.enforce.auth.enabled", "true");
        System.setProperty("zookeeper.enforce.auth.schemes", "digest");
        try {
            return ZkServers.server();
        } finally {
            System.clearProperty("zookeeper.enforce.auth.enabled");
            System.clearProperty("zookeeper.enforce.auth.schemes");
        }
    }

    private static List<String> ephemeralsUnder(CuratorFramework client, String path) throws Exception {
        List<String> found = new ArrayList<>();
        for (String child : client.getChildren().forPath(path)) {
            String childPath = path + "/" + child;
            if (client.checkExists().forPath(childPath).getEphemeralOwner() != 0) {
                found.add(childPath);
            } else {
                found.addAll(ephemeralsUnder(client, childPath));
            }
        }
        return found;
    }

    private static void assertEveryNodeCarriesTheCreatorAcl(CuratorFramework reader, String path) throws Exception {
        // read without ADMIN permission, the server shows the digest's user and hides the hash: futex:x
        List<ACL> expected = List.of(new ACL(ZooDefs.Perms.ALL, new org.apache.zookeeper.data.Id("digest", "futex:x")),
                new ACL(ZooDefs.Perms.READ, new org.apache.zookeeper.data.Id("world", "anyone")));
        assertEquals(expected, reader.getACL().forPath(path), path);
        for (String child : reader.getChildren().forPath(path)) {
            assertEveryNodeCarriesTheCreatorAcl(reader, path + "/" + child);
        }
    }
}
