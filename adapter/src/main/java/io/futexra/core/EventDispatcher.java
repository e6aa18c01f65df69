package io.futexra.core;

import io.futexra.Dispatcher;
import io.futexra.EventNotice;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>The dispatcher owns no thread: it runs on what the promoter gives it. If the promoter refuses,
 * the leader delivers and then goes on leading on its own thread.
 */
public final class EventDispatcher implements Dispatcher {

    private final Promoter promoter;
    private final SharedMemory control;
    private final Kernel kernel;
    private final Object state = new Object();
    private Subscription[] subscriptions = new Subscription[0];
    private OwnerDeathWatch[] watches = new OwnerDeathWatch[0];
    private boolean leading;
    private boolean closed;
    private int delivering;

    public EventDispatcher(Promoter promoter, Kernel kernel) {
        this.promoter = Objects.requireNonNull(promoter, "promoter");
        this.kernel = kernel;
        ByteBuffer word = ByteBuffer.allocateDirect(16).alignedSlice(8);
        this.control = new SharedMemory(word, kernel.addressOf(word));
    }

    /** Delivers every later signal of {@code event} to {@code listener} until the subscription is closed. */
    @Override
    public AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener) {
        if (!(event instanceof ShmNamedEvent)) {
            throw new IllegalArgumentException(event + " is not a futex-ra shared-memory event");
        }
        Objects.requireNonNull(listener, "listener");
        Subscription s = new Subscription((ShmNamedEvent) event, listener);
        boolean startLeader;
        synchronized (state) {
            checkRoom(1);
            subscriptions = Arrays.copyOf(subscriptions, subscriptions.length + 1);
            subscriptions[subscriptions.length - 1] = s;
            startLeader = !leading;
            leading = true;
        }
        start(startLeader);
        return () -> unsubscribe(s);
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
        boolean startLeader;
        synchronized (state) {
            checkRoom(OwnerDeathWatch.WORDS);
            watches = Arrays.copyOf(watches, watches.length + 1);
            watches[watches.length - 1] = w;
            startLeader = !leading;
            leading = true;
        }
        start(startLeader);
        return () -> unwatch(w);
    }

    private void checkRoom(int words) {
        if (closed) {
            throw new IllegalStateException("event dispatcher is closed");
        }
        if (subscriptions.length + OwnerDeathWatch.WORDS * watches.length + words > FutexSleep.MAX_WORDS - 1) {
            throw new IllegalStateException("a dispatcher waits on at most " + (FutexSleep.MAX_WORDS - 1)
                    + " futex words (one futex_waitv; an event takes 1, an owner-death watch 3); use another dispatcher");
        }
    }

    private void start(boolean startLeader) {
        if (startLeader) {
            promoteOrLead();
        } else {
            poke();
        }
    }

    private void unsubscribe(Subscription s) {
        synchronized (state) {
            subscriptions = without(subscriptions, s);
        }
        poke();
    }

    private void unwatch(OwnerDeathWatch w) {
        synchronized (state) {
            watches = without(watches, w);
        }
        poke();
    }

    private static <T> T[] without(T[] now, T gone) {
        for (int i = 0; i < now.length; i++) {
            if (now[i] == gone) {
                T[] next = Arrays.copyOf(now, now.length - 1);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                return next;
            }
        }
        return now;
    }

    /**
     * Stops: the leader returns as soon as it wakes (at once), after delivering any signal it has
     * already consumed; waits up to {@code timeout} for it and for deliveries in progress.
     *
     * @return whether everything finished in time
     */
    @Override
    public boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (state) {
            closed = true;
        }
        poke();
        synchronized (state) {
            while (leading || delivering > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
        }
        return true;
    }

    /** {@link #shutdown} with 10 s; an interrupt while waiting stops the wait, the flag kept. */
    @Override
    public void close() {
        try {
            shutdown(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the leader look again: bump the control word and wake it. */
    private void poke() {
        control.getAndAddInt(0, 1);
        kernel.futexWake(control.addressOf(0), Integer.MAX_VALUE);
    }

    private void promoteOrLead() {
        try {
            promoter.promote(this::lead);
        } catch (RejectedExecutionException refused) {
            Thread t = new Thread(this::lead, "futex-ra-event-leader");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The leader role: wait for any subscribed event or watched death, hand the role on, deliver. */
    private void lead() {
        while (true) {
            Subscription[] subs;
            OwnerDeathWatch[] ws;
            int controlValue;
            synchronized (state) {
                controlValue = control.getIntVolatile(0);
                if (closed || subscriptions.length + watches.length == 0) {
                    leading = false;
                    state.notifyAll();
                    return;
                }
                subs = subscriptions;
                ws = watches;
            }
            Runnable delivery = awaitOne(subs, ws, controlValue);
            if (delivery == null) {
                continue; // the control word moved: look at the subscriptions again
            }
            synchronized (state) {
                delivering++;
            }
            boolean handedOn = false;
            try {
                promoter.promote(this::lead); // a follower leads from here
                handedOn = true;
            } catch (RejectedExecutionException refused) {
                // nobody to hand the role to: deliver, then lead on
            }
            try {
                delivery.run();
            } catch (RuntimeException | Error e) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, e); // the listener's failure, not ours
            } finally {
                synchronized (state) {
                    delivering--;
                    state.notifyAll();
                }
            }
            if (handedOn) {
                return;
            }
        }
    }

    /**
     * One {@code futex_waitv} over every subscribed event word, the words of every owner-death
     * watch, and the control word: the delivery of the first event that passed (an auto-reset
     * signal is consumed by then) or death found, or {@code null} when the control word moved.
     */
    private Runnable awaitOne(Subscription[] subs, OwnerDeathWatch[] ws, int controlValue) {
        FutexSleep sleep = (subs.length > 0 ? subs[0].event.space() : ws[0].space()).thread().sleep;
        while (true) {
            int outcome;
            try (Sleepers counted = Sleepers.around(sleep)) {
                for (Subscription s : subs) {
                    s.event.countSleeper(counted); // counted before the last look: a signal after it wakes us
                }
                for (OwnerDeathWatch w : ws) {
                    w.countWatcher(counted); // apart from the lock's waiters: a watch is not contention
                }
                int k = 0;
                boolean again = false;
                for (Subscription s : subs) {
                    int verdict = s.event.lookInto(s.lastSeen, sleep, k++);
                    if (verdict == ShmNamedEvent.YES) {
                        s.lastSeen = s.event.start(); // a manual-reset edge is delivered once
                        return s::deliver;
                    }
                    if (verdict == ShmNamedEvent.AGAIN) {
                        again = true; // a consuming CAS lost a race
                        break;
                    }
                }
                if (again) {
                    continue;
                }
                for (OwnerDeathWatch w : ws) {
                    OwnerDeathNotice death = w.look(sleep, k);
                    if (death != null) {
                        return () -> w.listener.accept(death);
                    }
                    k += OwnerDeathWatch.WORDS;
                }
                if (control.getIntVolatile(0) != controlValue) {
                    return null;
                }
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
