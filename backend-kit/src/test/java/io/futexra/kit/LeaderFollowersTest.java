package io.futexra.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Dispatcher;
import io.futexra.testing.AwaitState;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader/followers loop both backends' dispatchers share, driven by a leader that waits for
 * signals the test posts (in place of futex words or ZooKeeper watches): what the backends' own
 * dispatcher tests do not reach — a promoter that refuses every task, additions that do not fit
 * or come after shutdown, a shutdown that waits for a delivery in progress, and the turning order
 * that keeps a subscription that always passes from starving the others.
 */
@Timeout(120)
class LeaderFollowersTest {

    /** A leader that waits for names posted by {@link #post}: a subscription passes when its name is posted. */
    private static final class Posted implements LeaderFollowers.Waiting<String, String> {
        private final ArrayDeque<String> posted = new ArrayDeque<>();
        private final List<String> delivered = new CopyOnWriteArrayList<>();
        private final CountDownLatch deliveryMayEnd;
        private int control;

        Posted(CountDownLatch deliveryMayEnd) {
            this.deliveryMayEnd = deliveryMayEnd;
        }

        synchronized void post(String name) {
            posted.add(name);
            notifyAll();
        }

        synchronized boolean taken() {
            return posted.isEmpty();
        }

        @Override
        public synchronized int control() {
            return control;
        }

        @Override
        public synchronized void poke() {
            control++;
            notifyAll();
        }

        @Override
        public synchronized Runnable awaitOne(String[] subscriptions, String[] watches, boolean watchesFirst,
                                              int controlValue) {
            while (control == controlValue) {
                String name = posted.poll();
                if (name != null && List.of(subscriptions).contains(name)) {
                    return () -> {
                        awaitQuietly(deliveryMayEnd);
                        delivered.add(name + " on " + Thread.currentThread().getName());
                    };
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        @Override
        public void checkRoom(int subscriptions, int watches) {
            if (subscriptions + watches > 2) {
                throw new IllegalStateException("room for 2");
            }
        }
    }

    private static final Dispatcher.Promoter REFUSING = task -> {
        throw new RejectedExecutionException("no threads here");
    };

    @Test
    void shouldLeadAndDeliverOnAThreadOfItsOwnWhenThePromoterRefusesEverything() throws Exception {
        Posted waiting = new Posted(new CountDownLatch(0));
        LeaderFollowers<String, String> loop = new LeaderFollowers<>(REFUSING, waiting, new String[0], new String[0],
                "own-leader");
        loop.subscribe("a");
        waiting.post("a");
        waiting.post("a");
        AwaitState.until("two deliveries", () -> waiting.delivered.size() == 2);
        assertEquals(List.of("a on own-leader", "a on own-leader"), waiting.delivered,
                "delivered, then led on, by the one thread made for the refused leader");
        assertTrue(loop.shutdown(30, TimeUnit.SECONDS), "the leader ends at shutdown");
    }

    @Test
    void shouldRefuseAnAdditionThatDoesNotFitAndAnyAfterShutdown() throws Exception {
        Posted waiting = new Posted(new CountDownLatch(0));
        LeaderFollowers<String, String> loop = new LeaderFollowers<>(REFUSING, waiting, new String[0], new String[0],
                "own-leader");
        loop.subscribe("a");
        loop.watch("w");
        assertEquals("room for 2", assertThrows(IllegalStateException.class, () -> loop.subscribe("b")).getMessage());
        loop.unwatch("w");
        loop.subscribe("b"); // room again
        waiting.post("b");
        AwaitState.until("b delivered", () -> waiting.delivered.size() == 1);
        assertTrue(loop.shutdown(30, TimeUnit.SECONDS));
        assertEquals("event dispatcher is closed",
                assertThrows(IllegalStateException.class, () -> loop.subscribe("c")).getMessage());
    }

    @Test
    void shouldWaitAtShutdownForADeliveryInProgress() throws Exception {
        CountDownLatch deliveryMayEnd = new CountDownLatch(1);
        Posted waiting = new Posted(deliveryMayEnd);
        LeaderFollowers<String, String> loop = new LeaderFollowers<>(task -> {
            Thread t = new Thread(task, "follower");
            t.setDaemon(true);
            t.start();
        }, waiting, new String[0], new String[0], "unused");
        loop.subscribe("a");
        waiting.post("a");
        AwaitState.until("a delivery under way", waiting::taken); // taken by the leader: it delivers, whatever comes
        assertFalse(loop.shutdown(200, TimeUnit.MILLISECONDS), "a delivery in progress: shutdown is not done");
        deliveryMayEnd.countDown();
        assertTrue(loop.shutdown(30, TimeUnit.SECONDS), "done once the delivery ends");
        assertEquals(List.of("a on follower"), waiting.delivered, "the delivery consumed was run, to its end");
    }

    /**
     * A leader over subscriptions and watches that pass when the test says: {@code flood} always,
     * the others once each when pending; it delivers the first that passes in the order given, as
     * both backends do.
     */
    private static final class Flooded implements LeaderFollowers.Waiting<String, String> {
        private final java.util.Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final List<String> delivered = new CopyOnWriteArrayList<>();
        private volatile boolean armed;
        private int control;

        @Override
        public synchronized int control() {
            return control;
        }

        @Override
        public synchronized void poke() {
            control++;
        }

        @Override
        public Runnable awaitOne(String[] subscriptions, String[] watches, boolean watchesFirst, int controlValue) {
            List<String> order = new java.util.ArrayList<>();
            if (watchesFirst) {
                order.addAll(List.of(watches));
            }
            order.addAll(List.of(subscriptions));
            if (!watchesFirst) {
                order.addAll(List.of(watches));
            }
            if (!armed) {
                LockSupport.parkNanos(1_000_000L); // nothing passes yet
                return null;
            }
            for (String name : order) {
                if (name.equals("flood") || pending.remove(name)) {
                    return () -> delivered.add(name);
                }
            }
            return null;
        }
    }

    @Test
    void shouldDeliverEverySubscriptionAndWatchInTurnWhileAnotherIsFlooded() throws Exception {
        Flooded waiting = new Flooded();
        LeaderFollowers<String, String> loop = new LeaderFollowers<>(REFUSING, waiting, new String[0], new String[0],
                "own-leader");
        loop.subscribe("flood");
        loop.subscribe("quiet");
        loop.subscribe("last");
        loop.watch("w");
        waiting.pending.addAll(List.of("quiet", "last", "w"));
        waiting.armed = true; // from here the flood always passes, and each of the others once
        AwaitState.until("every pending one delivered", () -> waiting.pending.isEmpty());
        assertTrue(loop.shutdown(30, TimeUnit.SECONDS));
        List<String> seen = List.copyOf(waiting.delivered);
        for (String name : List.of("quiet", "last", "w")) {
            int at = seen.indexOf(name);
            assertTrue(at >= 0 && at < 2 * 4, name + " delivered within two rounds of four, not starved: " + seen);
        }
    }

    @Test
    void shouldRotateASnapshotSoThatTheElementOfTheTurnComesFirst() {
        String[] abc = {"a", "b", "c"};
        assertEquals(List.of("a", "b", "c"), List.of(LeaderFollowers.rotated(abc, 0)));
        assertEquals(List.of("c", "a", "b"), List.of(LeaderFollowers.rotated(abc, 2)));
        assertEquals(List.of("b", "c", "a"), List.of(LeaderFollowers.rotated(abc, 4)));
        assertEquals(List.of("c", "a", "b"), List.of(LeaderFollowers.rotated(abc, Integer.MIN_VALUE)),
                "a turn counter that wrapped is still a rotation");
        assertEquals(List.of(), List.of(LeaderFollowers.rotated(new String[0], 7)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
