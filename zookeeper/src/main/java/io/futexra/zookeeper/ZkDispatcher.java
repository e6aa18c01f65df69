package io.futexra.zookeeper;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.EventNotice;
import io.futexra.FutexRaException;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import io.futexra.kit.LeaderFollowers;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers ZooKeeper events' signals and locks' owner deaths to listeners, by leader/followers on
 * the {@link Promoter}'s threads, as the shared-memory dispatcher does, with ZooKeeper watches in
 * place of futex words.
 *
 * <p>Implementation overview. One <em>leader</em> looks at every subscribed event and every
 * owner-death watch, setting a watch with each read ({@link ZkNamedEvent#look},
 * {@link ZkOwnerDeathWatch#look}), all of which wake one {@link ZkWakeup}; then it sleeps on it.
 * When an event passes (an auto-reset signal consumed by the leader's versioned {@code setData}) or
 * a death is found, the leader promotes a follower to lead and delivers the notice on its own
 * thread, so watching resumes while the listener runs. Subscribing, unsubscribing and closing
 * bump a control counter and poke the wakeup, so the leader looks again at once.
 *
 * <p>Guarantees (those of {@link Dispatcher}). Only one leader looks at a time. A signal the leader
 * consumed is always delivered, even while closing. Auto-reset events: each signal is consumed by
 * exactly one waiter or dispatcher ensemble-wide, so it is delivered once. Manual-reset events:
 * delivered once per signal edge (the sequence moved since the last delivery; signals in quick
 * succession may arrive as one), not again merely because the event stays signaled. Owner deaths:
 * once per death, as {@link ZkOwnerDeathWatch} describes, for exclusive locks of any policy.
 *
 * <p>Connection trouble: a look that fails (the ensemble unreachable past Curator's retries) is
 * tried again when the connection's state changes (every watch fires on it) or after a second.
 * The dispatcher owns no thread: if the promoter refuses, the leader delivers and then goes on
 * leading on its own thread. The leader/followers part (the snapshot, the hand-on, shutting down)
 * is the one every backend shares, {@link LeaderFollowers}; this class is how the leader waits.
 */
final class ZkDispatcher implements Dispatcher {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ZkWakeup wakeup = new ZkWakeup();
    private final AtomicInteger control = new AtomicInteger();
    private final LeaderFollowers<Subscription, ZkOwnerDeathWatch> loop;

    ZkDispatcher(Dispatcher.Promoter promoter) {
        this.loop = new LeaderFollowers<>(promoter, new LeaderFollowers.Waiting<>() {
            @Override
            public int control() {
                return control.get();
            }

            @Override
            public void poke() {
                ZkDispatcher.this.poke();
            }

            @Override
            public Runnable awaitOne(Subscription[] subscriptions, ZkOwnerDeathWatch[] watches, boolean watchesFirst,
                                     int controlValue) {
                return ZkDispatcher.this.awaitOne(subscriptions, watches, watchesFirst, controlValue);
            }
        }, new Subscription[0], new ZkOwnerDeathWatch[0], "futex-ra-zookeeper-event-leader");
    }

    /**
     * Delivers every later signal of {@code event} (of any ZooKeeper space) to {@code listener}
     * until the subscription is closed.
     */
    @Override
    public AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener) {
        if (!(event instanceof ZkNamedEvent)) {
            throw new IllegalArgumentException(event + " is not a futex-ra ZooKeeper event");
        }
        Objects.requireNonNull(listener, "listener");
        Subscription s = new Subscription((ZkNamedEvent) event, listener);
        loop.subscribe(s);
        return () -> {
            loop.unsubscribe(s);
            s.event.forget(wakeup);
        };
    }

    /**
     * Tells {@code listener} each time a holder of {@code lock} (a lock or write lock of any
     * ZooKeeper space) dies holding it (its session ended without a clean release), until the returned
     * handle is closed. See {@link ZkOwnerDeathWatch} for how, and which notice fields are known.
     */
    @Override
    public AutoCloseable watchOwnerDeath(NamedLock lock, Consumer<OwnerDeathNotice> listener) {
        Objects.requireNonNull(listener, "listener");
        if (!(lock instanceof ZkNamedLock)) {
            throw new IllegalArgumentException(lock + " is not a futex-ra ZooKeeper lock (or write lock)");
        }
        ZkNamedLock zk = (ZkNamedLock) lock;
        ZkOwnerDeathWatch w = new ZkOwnerDeathWatch(zk, listener, wakeup::poke);
        loop.watch(w);
        return () -> {
            loop.unwatch(w);
            w.forget();
        };
    }

    /** Stops as {@link LeaderFollowers#shutdown} says. */
    @Override
    public boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        return loop.shutdown(timeout, unit);
    }

    /** Stops as {@link LeaderFollowers#close} says. */
    @Override
    public void close() {
        loop.close();
    }

    /** Makes the leader look again. */
    private void poke() {
        control.incrementAndGet();
        wakeup.poke();
    }

    /**
     * Looks at every subscription and watch until one passes: its delivery (an auto-reset signal
     * is consumed by then), in the order given (the loop turns it between deliveries, for fairness),
     * or {@code null} when the control counter moved.
     */
    private Runnable awaitOne(Subscription[] subs, ZkOwnerDeathWatch[] ws, boolean watchesFirst, int controlValue) {
        while (control.get() == controlValue) {
            wakeup.drain(); // before the reads that set the watches: a change after them leaves a permit
            Runnable found;
            try {
                found = lookOnce(subs, ws, watchesFirst);
            } catch (FutexRaException trouble) {
                Thread.interrupted(); // a pooled thread's stray interrupt ends no leader
                wakeup.sleepUninterruptedly(RETRY_NANOS); // the connection's next state change, or a second
                continue;
            }
            if (found != null) {
                return found;
            }
            if (control.get() != controlValue) {
                return null;
            }
            wakeup.sleepUninterruptedly(Long.MAX_VALUE);
        }
        return null;
    }

    /** One look at everything: a delivery, or {@code null} with every watch set. */
    private Runnable lookOnce(Subscription[] subs, ZkOwnerDeathWatch[] ws, boolean watchesFirst) {
        Runnable found = watchesFirst ? lookAtWatches(ws) : null;
        if (found == null) {
            found = lookAtSubscriptions(subs);
        }
        return found != null || watchesFirst ? found : lookAtWatches(ws);
    }

    /** The first subscription that passes, its signal consumed, or {@code null} with every watch set. */
    private Runnable lookAtSubscriptions(Subscription[] subs) {
        for (int i = 0; i < subs.length; i++) {
            Subscription s = subs[i];
            ZkNamedEvent.Verdict v = s.event.look(s.lastSeen, true, wakeup);
            if (v == ZkNamedEvent.Verdict.AGAIN) {
                i--; // another client consumed that signal first: look at the same event again
            } else if (v == ZkNamedEvent.Verdict.YES) {
                if (s.event.mode() == EventMode.MANUAL_RESET) {
                    s.lastSeen = s.event.start(); // a manual-reset edge is delivered once
                }
                return s::deliver;
            }
        }
        return null;
    }

    /** The first death a watch found, or {@code null} with every watch set. */
    private Runnable lookAtWatches(ZkOwnerDeathWatch[] ws) {
        for (ZkOwnerDeathWatch w : ws) {
            OwnerDeathNotice death = w.look();
            if (death != null) {
                return () -> w.listener.accept(death);
            }
        }
        return null;
    }

    /** One listener of one event. */
    private static final class Subscription {
        final ZkNamedEvent event;
        final Consumer<EventNotice> listener;
        volatile long lastSeen;
        private long deliveries;

        Subscription(ZkNamedEvent event, Consumer<EventNotice> listener) {
            this.event = event;
            this.listener = listener;
            this.lastSeen = event.start();
        }

        void deliver() {
            long n;
            synchronized (this) {
                n = ++deliveries;
            }
            listener.accept(new EventNotice(event.space().name(), event.name(), event.mode(), n, Instant.now()));
        }
    }
}
