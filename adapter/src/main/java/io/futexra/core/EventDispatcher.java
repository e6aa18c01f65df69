package io.futexra.core;

import io.futexra.EventNotice;
import io.futexra.NamedEvent;
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
 * <p>The dispatcher owns no thread: it runs on what the promoter gives it. If the promoter refuses,
 * the leader delivers and then goes on leading on its own thread.
 */
public final class EventDispatcher implements AutoCloseable {

    /** Runs a task on another thread. */
    public interface Promoter {
        /** @throws RejectedExecutionException if it cannot run it now */
        void promote(Runnable task);
    }

    private final Promoter promoter;
    private final SharedMemory control;
    private final Kernel kernel;
    private final Object state = new Object();
    private Subscription[] subscriptions = new Subscription[0];
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
    public AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener) {
        if (!(event instanceof ShmNamedEvent)) {
            throw new IllegalArgumentException(event + " is not a futex-ra shared-memory event");
        }
        Objects.requireNonNull(listener, "listener");
        Subscription s = new Subscription((ShmNamedEvent) event, listener);
        boolean startLeader;
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("event dispatcher is closed");
            }
            if (subscriptions.length >= FutexSleep.MAX_WORDS - 1) {
                throw new IllegalStateException("a dispatcher watches at most " + (FutexSleep.MAX_WORDS - 1)
                        + " events (one futex_waitv); use another dispatcher");
            }
            subscriptions = Arrays.copyOf(subscriptions, subscriptions.length + 1);
            subscriptions[subscriptions.length - 1] = s;
            startLeader = !leading;
            leading = true;
        }
        if (startLeader) {
            promoteOrLead();
        } else {
            poke();
        }
        return () -> unsubscribe(s);
    }

    private void unsubscribe(Subscription s) {
        synchronized (state) {
            Subscription[] now = subscriptions;
            for (int i = 0; i < now.length; i++) {
                if (now[i] == s) {
                    Subscription[] next = Arrays.copyOf(now, now.length - 1);
                    System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                    subscriptions = next;
                    break;
                }
            }
        }
        poke();
    }

    /**
     * Stops: the leader returns as soon as it wakes (at once), after delivering any signal it has
     * already consumed; waits up to {@code timeout} for it and for deliveries in progress.
     *
     * @return whether everything finished in time
     */
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

    /** The leader role: wait for any subscribed event, hand the role on, deliver. */
    private void lead() {
        while (true) {
            Subscription[] subs;
            int controlValue;
            synchronized (state) {
                controlValue = control.getIntVolatile(0);
                if (closed || subscriptions.length == 0) {
                    leading = false;
                    state.notifyAll();
                    return;
                }
                subs = subscriptions;
            }
            ShmNamedEvent[] events = new ShmNamedEvent[subs.length];
            int[] starts = new int[subs.length];
            for (int i = 0; i < subs.length; i++) {
                events[i] = subs[i].event;
                starts[i] = subs[i].lastSeen;
            }
            int ready = ShmNamedEvent.awaitAny(events, starts, true, control, controlValue, FutexSleep.FOREVER);
            if (ready < 0) {
                continue; // the control word moved: look at the subscriptions again
            }
            Subscription s = subs[ready];
            s.lastSeen = s.event.start(); // a manual-reset edge is delivered once
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
                s.deliver();
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

    /** For listings: how many events this dispatcher watches. */
    public int subscriptionCount() {
        synchronized (state) {
            return subscriptions.length;
        }
    }
}
