package io.futexra.core;

import io.futexra.Dispatcher;
import io.futexra.EventNotice;
import io.futexra.FutexRaException;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import io.futexra.kit.LeaderFollowers;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers named events to listeners by leader/followers, after Bahmann and Froitzheim: every
 * event reaches a thread through one kind of synchronization object, the futex, and which thread
 * wakes is decided here, in user space.
 *
 * <p>Implementation overview. One <em>leader</em> waits, with one {@code futex_waitv}, on every
 * subscribed event's word plus a private <em>control</em> word. When an event passes (for an
 * auto-reset event, the leader consumed one signal with a CAS), the leader promotes a follower to
 * lead — {@link Promoter#promote} runs the leader role on another thread, e.g. through a JCA
 * {@code WorkManager} — and then delivers the notice itself, on its own thread, so waiting
 * resumes while the listener runs. Subscribing, unsubscribing and closing bump the control word
 * and wake it, so the leader looks again at once.
 *
 * <p>Guarantees. Only one leader waits at a time. A signal the leader consumed is always delivered,
 * even if the dispatcher is closing. Auto-reset events: each signal is consumed by exactly one
 * waiter host-wide, so across every dispatcher and waiter on the host it is delivered once.
 * Manual-reset events: delivered once per signal edge (its sequence moved since the last
 * delivery); the leader does not deliver again merely because it stays signaled.
 *
 * <p>Owner-death watches ({@link #watchOwnerDeath}) join the same wait: three words each, the lock
 * word, its slot's deaths word and its holder's alive word, so the kernel's wake at the holder's
 * death reaches the leader directly
 * (protocol in {@code OwnerDeathWatch}).
 *
 * <p>A space file truncated under the leader (its look or sleep faults): that space is broken, as
 * for any caller, its subscriptions and watches leave the dispatcher, the error goes to the leader
 * thread's uncaught-exception handler, and the others are served on ({@link #dropTruncated}).
 *
 * <p>The dispatcher owns no thread: it runs on what the promoter gives it. If the promoter refuses,
 * the leader delivers and then goes on leading on its own thread. The leader/followers part (the
 * snapshot, the hand-on, shutting down) is the backends' common {@link LeaderFollowers}; this
 * class is how the leader waits.
 */
public final class EventDispatcher implements Dispatcher {

    private final SharedMemory control;
    private final Kernel kernel;
    private final LeaderFollowers<Subscription, OwnerDeathWatch> loop;

    public EventDispatcher(Promoter promoter, Kernel kernel) {
        this.kernel = kernel;
        ByteBuffer word = ByteBuffer.allocateDirect(16).alignedSlice(8);
        this.control = new SharedMemory(word, kernel.addressOf(word));
        this.loop = new LeaderFollowers<>(promoter, new LeaderFollowers.Waiting<>() {
            @Override
            public int control() {
                return control.getIntVolatile(0);
            }

            @Override
            public void poke() {
                EventDispatcher.this.poke();
            }

            @Override
            public Runnable awaitOne(Subscription[] subscriptions, OwnerDeathWatch[] watches, boolean watchesFirst,
                                     int controlValue) {
                return EventDispatcher.this.awaitOne(subscriptions, watches, watchesFirst, controlValue);
            }

            @Override
            public void checkRoom(int subscriptions, int watches) {
                if (subscriptions + OwnerDeathWatch.WORDS * watches > FutexSleep.MAX_WORDS - 1) {
                    throw new IllegalStateException("a dispatcher waits on at most " + (FutexSleep.MAX_WORDS - 1)
                            + " futex words (one futex_waitv; an event takes 1, an owner-death watch 3); use another"
                            + " dispatcher");
                }
            }
        }, new Subscription[0], new OwnerDeathWatch[0], "futex-ra-event-leader");
    }

    /** Delivers every later signal of {@code event} to {@code listener} until the subscription is closed. */
    @Override
    public AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener) {
        if (!(event instanceof ShmNamedEvent)) {
            throw new IllegalArgumentException(event + " is not a futex-ra shared-memory event");
        }
        Objects.requireNonNull(listener, "listener");
        Subscription s = new Subscription((ShmNamedEvent) event, listener);
        loop.subscribe(s);
        return () -> loop.unsubscribe(s);
    }

    /**
     * Tells {@code listener} each time a holder of {@code lock} dies holding it, woken by the
     * kernel's robust-futex handling (see {@link OwnerDeathWatch} for the protocol), until the
     * returned handle is closed. Greedy locks only.
     *
     * @throws IllegalArgumentException if the lock is not a greedy futex-ra lock
     */
    @Override
    public AutoCloseable watchOwnerDeath(NamedLock lock, Consumer<OwnerDeathNotice> listener) {
        Objects.requireNonNull(listener, "listener");
        OwnerDeathWatch w = new OwnerDeathWatch(lock, listener);
        loop.watch(w);
        return () -> loop.unwatch(w);
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

    /** Makes the leader look again: bump the control word and wake it. */
    private void poke() {
        control.getAndAddInt(0, 1);
        kernel.futexWake(control.addressOf(0), Integer.MAX_VALUE);
    }

    /**
     * One {@code futex_waitv} over every subscribed event word, the words of every owner-death
     * watch, and the control word: the delivery of the first event that passed (an auto-reset
     * signal is consumed by then) or death found, in the order given ({@link LeaderFollowers}
     * turns it between deliveries, so a flooded event cannot starve the others), or {@code null}
     * when the control word moved.
     */
    private Runnable awaitOne(Subscription[] subs, OwnerDeathWatch[] ws, boolean watchesFirst, int controlValue) {
        try {
            ThreadContext me = (subs.length > 0 ? subs[0].event.space() : ws[0].space()).thread();
            if (me == ThreadContext.VIRTUAL) { // a promoter that runs the leader on a virtual thread: wait on a waiter thread
                return KernelWaiter.await(() -> awaitOne(subs, ws, watchesFirst, controlValue));
            }
            return lookAndSleep(me.sleep, subs, ws, watchesFirst, controlValue);
        } catch (InternalError fault) {
            return dropTruncated(subs, ws, fault);
        }
    }

    /**
     * A fault of a mapping while leading (see {@link ShmLockSpace}, "A space file truncated under
     * us"): each space of the snapshot whose file is found short is broken from now on, as for any
     * caller, the error is reported to the leader thread's uncaught-exception handler, and that
     * space's subscriptions and watches are removed; the leader goes on with the others (a new
     * snapshot: {@code null}). A fault while no file is short is rethrown.
     */
    private Runnable dropTruncated(Subscription[] subs, OwnerDeathWatch[] ws, InternalError fault) {
        Set<ShmLockSpace> broken = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Subscription s : subs) {
            if (!s.event.space().isIntact() || s.event.space().isFileShort()) {
                broken.add(s.event.space());
            }
        }
        for (OwnerDeathWatch w : ws) {
            if (!w.space().isIntact() || w.space().isFileShort()) {
                broken.add(w.space());
            }
        }
        if (broken.isEmpty()) {
            throw fault;
        }
        for (Subscription s : subs) {
            if (broken.contains(s.event.space())) {
                loop.unsubscribe(s);
            }
        }
        for (OwnerDeathWatch w : ws) {
            if (broken.contains(w.space())) {
                loop.unwatch(w);
            }
        }
        Thread me = Thread.currentThread();
        for (ShmLockSpace space : broken) {
            FutexRaException error = space.truncatedUnderUs(fault);
            me.getUncaughtExceptionHandler().uncaughtException(me, error); // reported; the leader leads on
        }
        return null;
    }

    private Runnable lookAndSleep(FutexSleep sleep, Subscription[] subs, OwnerDeathWatch[] ws, boolean watchesFirst,
                                  int controlValue) {
        while (true) {
            int outcome;
            try (Sleepers counted = Sleepers.around(sleep)) {
                for (Subscription s : subs) {
                    s.event.countSleeper(counted); // counted before the last look: a signal after it wakes us
                }
                for (OwnerDeathWatch w : ws) {
                    w.countWatcher(counted); // apart from the lock's waiters: a watch is not contention
                }
                Runnable found;
                if (watchesFirst) {
                    found = lookAtWatches(ws, sleep, 0);
                    if (found == null) {
                        found = lookAtSubscriptions(subs, sleep, OwnerDeathWatch.WORDS * ws.length);
                    }
                } else {
                    found = lookAtSubscriptions(subs, sleep, 0);
                    if (found == null) {
                        found = lookAtWatches(ws, sleep, subs.length);
                    }
                }
                if (found == LOOK_AGAIN) {
                    continue; // a consuming CAS lost a race
                }
                if (found != null) {
                    return found;
                }
                if (control.getIntVolatile(0) != controlValue) {
                    return null;
                }
                int k = subs.length + OwnerDeathWatch.WORDS * ws.length;
                sleep.setWord(k++, control.addressOf(0), controlValue);
                outcome = counted.sleepOnWords(k, FutexSleep.FOREVER);
            }
            for (OwnerDeathWatch w : ws) {
                w.afterSleep(); // pass on a lock's wake meant for a real waiter
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                Thread.interrupted(); // a pooled thread's stray interrupt: stopping goes through the control word
            }
            if (control.getIntVolatile(0) != controlValue) {
                return null;
            }
        }
    }

    /** What a look returns when a consuming CAS lost a race and everything must be looked at again. */
    private static final Runnable LOOK_AGAIN = () -> { };

    /**
     * Looks at each subscription in order, setting up words {@code k..} of {@code sleep}: the first
     * delivery, {@link #LOOK_AGAIN}, or {@code null} with every word set.
     */
    private static Runnable lookAtSubscriptions(Subscription[] subs, FutexSleep sleep, int k) {
        for (Subscription s : subs) {
            int verdict = s.event.lookInto(s.lastSeen, sleep, k++);
            if (verdict == ShmNamedEvent.YES) {
                s.lastSeen = s.event.start(); // a manual-reset edge is delivered once
                return s::deliver;
            }
            if (verdict == ShmNamedEvent.AGAIN) {
                return LOOK_AGAIN;
            }
        }
        return null;
    }

    /** Looks at each watch in order, setting up words {@code k..} of {@code sleep}: the first death found, or {@code null}. */
    private static Runnable lookAtWatches(OwnerDeathWatch[] ws, FutexSleep sleep, int k) {
        for (OwnerDeathWatch w : ws) {
            OwnerDeathNotice death = w.look(sleep, k);
            if (death != null) {
                return () -> w.listener.accept(death);
            }
            k += OwnerDeathWatch.WORDS;
        }
        return null;
    }

    /** One listener of one event. */
    private static final class Subscription {
        final ShmNamedEvent event;
        final Consumer<EventNotice> listener;
        volatile int lastSeen;
        long deliveries;

        Subscription(ShmNamedEvent event, Consumer<EventNotice> listener) {
            this.event = event;
            this.listener = listener;
            this.lastSeen = event.start();
        }

        void deliver() {
            long n;
            synchronized (this) {
                n = ++deliveries;
            }
            listener.accept(new EventNotice(event.spaceName(), event.name(), event.mode(), n, Instant.now()));
        }
    }
}
