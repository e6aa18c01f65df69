package io.futexra.kit;

import io.futexra.Dispatcher;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The leader/followers part of a {@link Dispatcher}, the same for every backend: one thread at a
 * time (the leader) waits for the subscriptions ({@code S}) and owner-death watches ({@code W});
 * when one passes, it hands the role on to a thread of the {@link Dispatcher.Promoter} and
 * delivers on its own thread, so waiting resumes while the listener runs. The backend says how its
 * leader waits ({@link Waiting}): on futex words in shared memory, on ZooKeeper watches.
 *
 * <p>Implementation overview. The subscriptions and watches are copy-on-write arrays under one
 * lock; the leader takes a snapshot with the control value ({@link Waiting#control()}) and waits
 * on it. Subscribing, unsubscribing and shutting down change the state under the lock, then
 * {@link Waiting#poke() poke}: the control value moves and the leader, woken, takes a new snapshot.
 * A leader is started (promoted) by the first addition while none leads, and ends when the
 * dispatcher is shut down or nothing is left to wait for.
 *
 * <p>Fairness. A leader delivers the first that passes in the order it was given, so the loop
 * turns that order between deliveries: each snapshot is rotated by a turn counter that every
 * delivery advances (subscription {@code i} comes first at turn {@code i}), and every other turn
 * the watches are looked at before the subscriptions. One subscription that always passes (a
 * flood of signals) therefore delays another that passes by at most about twice as many
 * deliveries as there are subscriptions, never for ever.
 *
 * <p>Guarantees: only one leader waits at a time; a delivery the leader has (an auto-reset signal consumed) is always run, even while
 * shutting down; {@link #shutdown} waits for the leader to end and for deliveries in progress. It
 * owns no thread: if the promoter refuses, the leader delivers and then goes on leading on its own
 * thread (the first leader, refused, gets a daemon thread of its own).
 *
 * @param <S> a backend's subscription (one listener of one event)
 * @param <W> a backend's owner-death watch
 */
public final class LeaderFollowers<S, W> {

    /**
     * How a backend's leader waits.
     *
     * @param <S> the backend's subscription
     * @param <W> the backend's owner-death watch
     */
    public interface Waiting<S, W> {

        /** {@return the control value now: every {@link #poke()} moves it} */
        int control();

        /** Moves the control value and wakes the leader wherever it waits. */
        void poke();

        /**
         * Waits until a subscription or watch passes, or the control value moves. Looks in the
         * order given (the loop turns it for fairness): the subscriptions in array order, then the
         * watches, or the watches first if {@code watchesFirst}; delivers the first that passes.
         *
         * @param subscriptions the subscriptions to wait for
         * @param watches the watches to wait for
         * @param watchesFirst whether to look at the watches before the subscriptions
         * @param control the control value the snapshot was taken with
         * @return the delivery of the one that passed (an auto-reset signal is consumed by then), or
         *     null once the control value is no longer {@code control}
         */
        Runnable awaitOne(S[] subscriptions, W[] watches, boolean watchesFirst, int control);

        /**
         * Refuses an addition that would not fit; called under the dispatcher's lock.
         *
         * @param subscriptions how many subscriptions there would be
         * @param watches how many watches there would be
         * @throws IllegalStateException if the leader could not wait for that many
         */
        default void checkRoom(int subscriptions, int watches) {
        }
    }

    private final Dispatcher.Promoter promoter;
    private final Waiting<S, W> waiting;
    private final String leaderThreadName;
    private final Object state = new Object();
    private S[] subscriptions;
    private W[] watches;
    private boolean leading;
    private boolean closed;
    private int delivering;
    /** Advanced by every delivery: how far the next snapshot is rotated. */
    private int turn;

    /**
     * A dispatcher's loop with nothing to wait for yet.
     *
     * @param promoter gives the leader role a thread
     * @param waiting how the leader waits
     * @param noSubscriptions an empty array of the subscription type
     * @param noWatches an empty array of the watch type
     * @param leaderThreadName the name of the thread made when the promoter refuses the first leader
     */
    public LeaderFollowers(Dispatcher.Promoter promoter, Waiting<S, W> waiting, S[] noSubscriptions, W[] noWatches,
                           String leaderThreadName) {
        this.promoter = Objects.requireNonNull(promoter, "promoter");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        this.subscriptions = Arrays.copyOf(noSubscriptions, 0);
        this.watches = Arrays.copyOf(noWatches, 0);
        this.leaderThreadName = leaderThreadName;
    }

    /**
     * Adds a subscription, and starts a leader or wakes the one there is.
     *
     * @param subscription the subscription
     * @throws IllegalStateException if the dispatcher is shut down, or the subscription does not fit
     */
    public void subscribe(S subscription) {
        boolean startLeader;
        synchronized (state) {
            checkOpen();
            waiting.checkRoom(subscriptions.length + 1, watches.length);
            subscriptions = with(subscriptions, subscription);
            startLeader = startsLeader();
        }
        start(startLeader);
    }

    /**
     * Adds an owner-death watch, and starts a leader or wakes the one there is.
     *
     * @param watch the watch
     * @throws IllegalStateException if the dispatcher is shut down, or the watch does not fit
     */
    public void watch(W watch) {
        boolean startLeader;
        synchronized (state) {
            checkOpen();
            waiting.checkRoom(subscriptions.length, watches.length + 1);
            watches = with(watches, watch);
            startLeader = startsLeader();
        }
        start(startLeader);
    }

    /**
     * Removes a subscription; the leader stops waiting for it.
     *
     * @param subscription the subscription (nothing happens if it is not there)
     */
    public void unsubscribe(S subscription) {
        synchronized (state) {
            subscriptions = without(subscriptions, subscription);
        }
        waiting.poke();
    }

    /**
     * Removes an owner-death watch; the leader stops waiting for it.
     *
     * @param watch the watch (nothing happens if it is not there)
     */
    public void unwatch(W watch) {
        synchronized (state) {
            watches = without(watches, watch);
        }
        waiting.poke();
    }

    /**
     * Stops: the leader returns as soon as it wakes (at once), after delivering any signal it has
     * already consumed; waits up to {@code timeout} for it and for deliveries in progress.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return whether everything finished in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (state) {
            closed = true;
        }
        waiting.poke();
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
    public void close() {
        try {
            shutdown(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("event dispatcher is closed");
        }
    }

    /** Under the lock: whether the caller must start a leader (none leads now); it leads from here. */
    private boolean startsLeader() {
        boolean start = !leading;
        leading = true;
        return start;
    }

    private void start(boolean startLeader) {
        if (startLeader) {
            try {
                promoter.promote(this::lead);
            } catch (RejectedExecutionException refused) {
                Thread t = new Thread(this::lead, leaderThreadName);
                t.setDaemon(true);
                t.start();
            }
        } else {
            waiting.poke();
        }
    }

    /** The leader role: wait until something passes, hand the role on, deliver. */
    private void lead() {
        while (true) {
            S[] subs;
            W[] ws;
            int control;
            int t;
            synchronized (state) {
                control = waiting.control();
                if (closed || subscriptions.length + watches.length == 0) {
                    leading = false;
                    state.notifyAll();
                    return;
                }
                t = turn;
                subs = rotated(subscriptions, t);
                ws = rotated(watches, t);
            }
            Runnable delivery = waiting.awaitOne(subs, ws, (t & 1) != 0, control);
            if (delivery == null) {
                continue; // the control value moved: take a new snapshot
            }
            synchronized (state) {
                delivering++;
                turn = t + 1; // the next leader starts one further on
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

    /** {@code all} rotated left by {@code by} (modulo its length): element {@code by} first. */
    static <T> T[] rotated(T[] all, int by) {
        int n = all.length;
        int shift = n == 0 ? 0 : Integer.remainderUnsigned(by, n);
        if (shift == 0) {
            return all;
        }
        T[] out = Arrays.copyOf(all, n);
        System.arraycopy(all, shift, out, 0, n - shift);
        System.arraycopy(all, 0, out, n - shift, shift);
        return out;
    }

    private static <T> T[] with(T[] now, T added) {
        T[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = added;
        return next;
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
}
