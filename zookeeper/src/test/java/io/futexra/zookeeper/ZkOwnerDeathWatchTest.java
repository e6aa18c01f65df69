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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Owner-death watches on a real server: a child JVM holds a lock and is killed with {@code kill -9};
 * its session (1 s) expires, the server deletes its lock node, and the watcher in this JVM, on
 * another session, is told once, with the dead acquisition's fencing token.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZkOwnerDeathWatchTest extends ZkTwoClients {

    @Test
    void shouldTellTheWatcherOnceWhenAHolderIsKilledAndNotOnACleanRelease() throws Exception {
        URI shortSession = ZkServers.freshSpace(server.getConnectString(), "1s");
        List<OwnerDeathNotice> deaths = new CopyOnWriteArrayList<>();
        try (LockSpace space = LockSpace.open(ZkServers.otherClient(shortSession, 1));
             Dispatcher dispatcher = space.dispatcher(OWN_THREADS)) {
            NamedLock lock = space.lock("nightly");
            try (AutoCloseable watch = dispatcher.watchOwnerDeath(lock, deaths::add)) {
                try (Held clean = lock.acquire(Duration.ofSeconds(30))) {
                    assertFalse(clean.previousOwnerDied());
                } // released cleanly: not a death

                long deadToken;
                try (ChildJvm holder = ChildJvm.startClass(Holder.class, shortSession.toString(), "nightly")) {
                    String[] held = holder.awaitLine("held ", AwaitState.HANG_GUARD).split(" ");
                    deadToken = Long.parseLong(held[1]);
                    holder.kill9();
                }
                AwaitState.until("the death reported", () -> !deaths.isEmpty());
                OwnerDeathNotice notice = deaths.get(0);
                assertEquals(deadToken, notice.deadOwnerToken(), "the killed holder's token, not the clean one's");
                assertEquals("nightly", notice.lock());
                assertEquals(0, notice.ownerTid(), "a ZooKeeper holder's thread id is not known");
                assertFalse(notice.recovered(), "nobody had taken the lock over yet");

                try (Held next = lock.acquire(Duration.ofSeconds(30))) {
                    assertTrue(next.previousOwnerDied(), "the next holder is told too");
                    assertTrue(next.fencingToken() > deadToken, next.fencingToken() + " > " + deadToken);
                }
                // a second notice for the claimed marker would have come by the time the barrier is delivered
                barrier(space, dispatcher);
            }
        }
        assertEquals(1, deaths.size(), "one death, one notice: " + deaths);
    }

    /** The holder JVM: {@code URI LOCK} — acquires, prints {@code held TOKEN}, waits to be killed. */
    public static final class Holder {

        private Holder() {
        }

        public static void main(String[] args) throws Exception {
            try (LockSpace space = LockSpace.open(URI.create(args[0]))) {
                Held held = space.lock(args[1]).acquire(Duration.ofSeconds(60));
                System.out.println("held " + held.fencingToken());
                System.out.flush();
                Thread.sleep(Duration.ofMinutes(5).toMillis());
            }
        }
    }
}
