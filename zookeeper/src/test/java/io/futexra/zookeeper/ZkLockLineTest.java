package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Dispatcher;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner-death markers of ZooKeeper locks ({@link ZkLockLine}, {@link ZkOwners}) against a real
 * server, with child JVMs killed by {@code kill -9} (their one-second sessions then expire): a dead
 * waiter is not a dead holder, a dead holder is told to its next holder once, and a marker's data
 * is not trusted by the owner-death watch.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZkLockLineTest extends ZkTwoClients {

    @Test
    void shouldNotTellTheNextHolderWhenAWaiterIsKilledWhileTheHolderAheadIsAlive() throws Exception {
        URI shortSession = ZkServers.freshSpace(server.getConnectString(), "1s");
        List<OwnerDeathNotice> deaths = new CopyOnWriteArrayList<>();
        try (LockSpace space = LockSpace.open(ZkServers.otherClient(shortSession, 1));
             Dispatcher dispatcher = space.dispatcher(OWN_THREADS)) {
            NamedLock lock = space.lock("queue");
            try (AutoCloseable watch = dispatcher.watchOwnerDeath(lock, deaths::add)) {
                Held first = lock.acquire(Duration.ofSeconds(30));
                assertFalse(first.previousOwnerDied());
                try (ChildJvm waiter = ChildJvm.startClass(ZkChild.class, "wait", shortSession.toString(), "queue")) {
                    waiter.awaitLine("waiting", AwaitState.HANG_GUARD);
                    AwaitState.until("the child queued behind the holder", () -> lockNodes(space, "queue") == 2);
                    waiter.kill9();
                }
                AwaitState.until("the killed waiter's lock node expired", () -> lockNodes(space, "queue") == 1);
                assertEquals(1, orphans(space, "queue"), "its marker is left behind");

                AtomicReference<Taken> next = new AtomicReference<>();
                Thread nextHolder = start(() -> next.set(Taken.of(lock)));
                AwaitState.until("the next acquirer queued and removed the dead waiter's marker",
                        () -> lockNodes(space, "queue") == 2 && orphans(space, "queue") == 0);
                first.close();
                joinAll(List.of(nextHolder));
                assertFalse(next.get().previousOwnerDied(), "the dead one only waited: the holder ahead was alive");
                assertTrue(next.get().token() > first.fencingToken(), next.get() + " after " + first.fencingToken());
                barrier(space, dispatcher);
            }
        }
        assertEquals(List.of(), deaths, "a waiter's death is no owner death");
    }

    @Test
    void shouldTellTheNextHolderOnceWithALargerTokenWhenTheHolderIsKilled() throws Exception {
        URI shortSession = ZkServers.freshSpace(server.getConnectString(), "1s");
        try (LockSpace space = LockSpace.open(ZkServers.otherClient(shortSession, 1))) {
            NamedLock lock = space.lock("victim");
            long deadToken;
            AtomicReference<Taken> first = new AtomicReference<>();
            AtomicReference<Taken> second = new AtomicReference<>();
            List<Thread> waiters = new CopyOnWriteArrayList<>();
            try (ChildJvm holder = ChildJvm.startClass(ZkOwnerDeathWatchTest.Holder.class, shortSession.toString(),
                    "victim")) {
                deadToken = Long.parseLong(holder.awaitLine("held ", AwaitState.HANG_GUARD).split(" ")[1]);
                waiters.add(start(() -> first.set(Taken.of(lock))));
                AwaitState.until("one waiter queued", () -> lockNodes(space, "victim") == 2);
                waiters.add(start(() -> second.set(Taken.of(lock))));
                AwaitState.until("two waiters queued", () -> lockNodes(space, "victim") == 3);
                holder.kill9();
            }
            joinAll(waiters);
            assertTrue(first.get().previousOwnerDied(), "the first waiter takes over from the dead holder and is told");
            assertTrue(first.get().token() > deadToken, first.get() + " after the dead token " + deadToken);
            assertFalse(second.get().previousOwnerDied(), "told once: the second holder follows a clean release");
            assertTrue(second.get().token() > first.get().token(), second.get() + " after " + first.get());
            assertEquals(0, orphans(space, "victim"), "the dead holder's marker was claimed");
        }
    }

    @Test
    void shouldIgnoreAWriteLockMarkerWhoseDataNamesANodeOutsideTheLock() throws Exception {
        URI shortSession = ZkServers.freshSpace(server.getConnectString(), "1s");
        List<OwnerDeathNotice> deaths = new CopyOnWriteArrayList<>();
        try (LockSpace space = LockSpace.open(ZkServers.otherClient(shortSession, 1));
             Dispatcher dispatcher = space.dispatcher(OWN_THREADS)) {
            NamedLock writeLock = space.readWriteLock("catalog").writeLock();
            space.readWriteLock("other");
            ZkSpace zk = ZkServers.handle(space);
            CuratorFramework client = zk.client();
            String elsewhere = zk.objectPath("other") + "/rw/_c_forged-__WRIT__0000000001";
            client.create().creatingParentsIfNeeded().forPath(elsewhere);
            client.create().creatingParentsIfNeeded().forPath(zk.objectPath("catalog") + "/owners/ff",
                    elsewhere.getBytes(StandardCharsets.UTF_8));
            try (AutoCloseable watch = dispatcher.watchOwnerDeath(writeLock, deaths::add)) {
                barrier(space, dispatcher); // the watch has listed the forged marker
                client.delete().forPath(elsewhere); // what a holder's death looks like, were the path trusted
                barrier(space, dispatcher);
                assertEquals(List.of(), deaths, "a marker naming another lock's node is not this lock's death");

                long deadToken;
                try (ChildJvm writer = ChildJvm.startClass(ZkChild.class, "write", shortSession.toString(), "catalog")) {
                    deadToken = Long.parseLong(writer.awaitLine("held ", AwaitState.HANG_GUARD).split(" ")[1]);
                    writer.kill9();
                }
                AwaitState.until("the real death reported", () -> !deaths.isEmpty());
                assertEquals(deadToken, deaths.get(0).deadOwnerToken(), "the killed writer's death, not the forged one");
            }
        }
        assertEquals(1, deaths.size(), "one death, one notice: " + deaths);
    }

    /** What an acquisition was told: taken on a thread of its own, and released there at once. */
    private record Taken(boolean previousOwnerDied, long token) {
        static Taken of(NamedLock lock) {
            try (Held held = lock.acquire(Duration.ofSeconds(60))) {
                return new Taken(held.previousOwnerDied(), held.fencingToken());
            }
        }
    }

    private static List<String> line(LockSpace space, String name) {
        ZkSpace zk = ZkServers.handle(space);
        try {
            return zk.client().getChildren().forPath(zk.objectPath(name) + "/lock");
        } catch (Exception e) {
            return List.of();
        }
    }

    private static int lockNodes(LockSpace space, String name) {
        return ZkLockLine.lockNodes(line(space, name)).size();
    }

    private static int orphans(LockSpace space, String name) {
        return ZkLockLine.orphans(line(space, name)).size();
    }
}
