package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.LockInterruptedException;
import io.futexra.SpaceUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.RetryPolicy;
import org.apache.curator.RetrySleeper;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * One {@link CuratorFramework} per connect string and options in this process, shared by every
 * space opened with them and counted: the client starts with the first user (an open space or a
 * hold) and closes with the last. It also keeps the process's recipe instances, one per znode
 * path, so that a lock is the same lock (and reentrant) whichever space handle a thread uses.
 *
 * <p><b>Connection state.</b> A {@link org.apache.curator.framework.state.ConnectionStateListener}
 * follows Curator's states: {@code SUSPENDED} (the connection dropped; the session may still be
 * alive, but this client cannot know whether the ensemble still considers its ephemeral lock nodes
 * its own) and {@code LOST} (the session expired, or Curator gave up waiting for it: every
 * ephemeral node of the old session is gone). Holds compare {@link #losses()} taken when they
 * were acquired with the current count, and ask {@link #connected()}.
 *
 * <p><b>When a session counts as lost.</b> The ensemble expires a session one session timeout
 * (T, as negotiated) after it last heard from the client. A client that knows itself connected
 * at time t heard from the ensemble less than 2T/3 before t (else ZooKeeper's client would have
 * dropped the connection), so the ensemble may expire the session, and give its locks to others,
 * from t + T/3 on. So a session counts as lost, and every hold registered with the client
 * ({@link ZkLoss}) is lost with it, when Curator reports {@code LOST} (expired), or when the client
 * was last known connected more than T/3 ago: cut off for that long, or the process did not run
 * for that long (stopped, paused). A watchdog task looks every {@value #WATCHDOG_MILLIS} ms, and
 * {@link #stillConnected()} looks at once, so a process resumed from a stop learns it before it
 * acts. A session counted as lost this way may turn out alive on reconnection: its holds stay lost
 * (they are released by their holders), new ones are taken normally.
 *
 * <p><b>Threads.</b> Closing Curator stops its threads but one: the executor it runs listener
 * calls on ("SafeNotifyService", a single-thread pool whose idle thread never ends), which would
 * keep the class loader that loaded Curator — in a server, the whole undeployed RAR — for the life
 * of the JVM. So the client gives Curator an executor of its own and shuts it down after closing
 * Curator: once the last user is gone, no thread of the client is left.
 */
final class ZkClient {

    /*
     * Acquisition. The first opener of a key makes the client and starts it, under the CLIENTS
     * lock, so each key has one client and one connect at a time. Every opener, the first
     * included, then waits for that client's one connection outcome, `connection`, until the same
     * deadline (when the client was made, plus connectionTimeout): the state listener completes it
     * on CONNECTED; the first waiter whose wait ends at the deadline without it fails it. Failing it and removing
     * the client from CLIENTS happen together under the lock, so an opener arriving later either
     * finds the failed client (and reports the same failure) or makes a new one (a new attempt);
     * nobody gets a client that never connected. Each waiter that fails, or is interrupted, gives
     * back its own use; the last use closes Curator. An interrupt ends only the interrupted
     * opener's wait: the others keep waiting for the outcome.
     */

    private static final Map<String, ZkClient> CLIENTS = new HashMap<>();
    /** {@code acl=open}: anyone may do anything. */
    private static final List<ACL> OPEN = acl(new ACL(ZooDefs.Perms.ALL, new Id("world", "anyone")));
    /**
     * {@code acl=creator}: the identities the creating session authenticated as (digest, SASL, TLS
     * client certificate) may do anything, everyone else may read. ZooKeeper checks a delete
     * against the parent's ACL and a create too: so nobody else can add a node (a forged marker)
     * or delete one under a node created this way.
     */
    private static final List<ACL> CREATOR = acl(new ACL(ZooDefs.Perms.ALL, new Id("auth", "")),
            new ACL(ZooDefs.Perms.READ, new Id("world", "anyone")));

    private final String key;
    private final ZkAddress address;
    private final CuratorFramework curator;
    private static final long WATCHDOG_MILLIS = 100;

    /**
     * Curator's listener executor, owned here so that it ends with the client (class comment); also
     * runs the watchdog and the loss actions of holds.
     */
    private final ScheduledThreadPoolExecutor notifier;
    private final Map<String, Object> recipes = new ConcurrentHashMap<>();
    /** The ACL of every znode this client creates. */
    private final List<ACL> acl;
    /** The outcome of the one connect: done on CONNECTED, failed at the deadline without it. */
    private final CompletableFuture<Void> connection = new CompletableFuture<>();
    /** Guarded by CLIENTS. */
    private int users;
    /** When every opener's wait for the connect ends ({@link System#nanoTime()}). */
    private final long deadline;
    /** Set from SUSPENDED or LOST until CONNECTED or RECONNECTED. */
    private volatile boolean suspended;
    /** Set once if the server granted another session timeout than asked ({@link #checkGranted}). */
    private volatile String sessionTimeoutNote;
    /** When the connection went down ({@link System#nanoTime()}), 0 while it is up. */
    private volatile long downSince;
    /** Threads waiting in Curator ({@link #bounded}), each with its "interrupted for being cut off" flag. Guarded by itself. */
    private final Map<Thread, boolean[]> waiting = new HashMap<>();
    private final AtomicLong losses = new AtomicLong();
    /** The holds to tell when the session is lost ({@link ZkLoss}). Guarded by itself. */
    private final Set<ZkLoss> tracked = new LinkedHashSet<>();
    /** T/3 in nanoseconds (class comment), from the negotiated session timeout; 0 before the first connect. */
    private volatile long doubtNanos;
    /** When the client last knew itself connected ({@link System#nanoTime()}), once connected. */
    private volatile long lastConnected;
    /** The {@link #lastConnected} for which a loss was counted already (guarded by tracked). */
    private long lossCountedFor;

    private ZkClient(ZkAddress address) {
        this.key = address.clientKey();
        this.address = address;
        this.deadline = System.nanoTime() + address.connectionTimeout().toNanos();
        this.notifier = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "futex-ra zookeeper notifier " + address.connectString());
            thread.setDaemon(true);
            return thread;
        });
        notifier.setRemoveOnCancelPolicy(true);
        notifier.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.acl = address.creatorAcl() ? CREATOR : OPEN;
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
        if (address.credentials() != null) {
            builder.authorization("digest", address.credentials().auth());
        }
        this.curator = builder
                .aclProvider(new ACLProvider() {
                    @Override
                    public List<ACL> getDefaultAcl() {
                        return acl;
                    }

                    @Override
                    public List<ACL> getAclForPath(String path) {
                        return acl;
                    }
                })
                .runSafeService(notifier)
                .connectString(address.connectString())
                .sessionTimeoutMs(Math.toIntExact(address.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(address.connectionTimeout().toMillis()))
                .retryPolicy(new WithinConnectionTimeout(address.connectionTimeout().toMillis()))
                .build();
        curator.getConnectionStateListenable().addListener((client, state) -> stateChanged(state));
        notifier.scheduleWithFixedDelay(this::watchdog, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The client for {@code address}, connected, with one more user: pair with {@link #release()}.
     * Openers of the same key at the same time share one connect and its outcome.
     *
     * @throws SpaceUnavailableException if no server answered within the connection timeout (every
     *     opener waiting for that connect gets it; the next opener tries again)
     * @throws FutexRaException if the calling thread was interrupted while waiting (flag left set)
     */
    static ZkClient acquire(ZkAddress address) {
        ZkClient client;
        synchronized (CLIENTS) {
            client = CLIENTS.get(address.clientKey());
            if (client == null) {
                client = new ZkClient(address);
                CLIENTS.put(client.key, client);
                client.curator.start(); // returns at once: the connect goes on in Curator's threads
            }
            client.users++;
        }
        try {
            client.awaitConnection();
        } catch (RuntimeException e) {
            client.release();
            throw e;
        }
        return client;
    }

    /**
     * Returns at once if the connection is up; else waits for it up to the connection timeout.
     *
     * @param what what the caller is about to do, for the message
     * @throws SpaceUnavailableException if no server answered within the connection timeout
     * @throws LockInterruptedException if the thread was interrupted meanwhile (flag left set)
     */
    void awaitConnected(String what) {
        if (connected()) {
            return;
        }
        boolean up;
        try {
            up = curator.blockUntilConnected(Math.toIntExact(address.connectionTimeout().toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockInterruptedException("interrupted while waiting for ZooKeeper at " + address.connectString()
                    + " to " + what + "; nothing is held");
        }
        if (!up) {
            throw unavailable(what);
        }
    }

    /** The failure of {@code what} when no server answered within the connection timeout. */
    SpaceUnavailableException unavailable(String what) {
        return unavailable(what, null);
    }

    /** {@link #unavailable(String)} with the ZooKeeper failure that showed it. */
    SpaceUnavailableException unavailable(String what, Throwable cause) {
        return new SpaceUnavailableException("no ZooKeeper server of " + address.connectString() + " answered within"
                + " connectionTimeout=" + address.connectionTimeout().toMillis() + "ms, so could not " + what
                + "; nothing is held: check that the ensemble is up and reachable, and try again", cause);
    }

    /**
     * Curator's retry policy for every operation: retries a connection loss with a growing pause
     * (50 ms doubling, at most 1 s) while the operation's first attempt began less than the
     * connection timeout ago, so one call gives up about one connection timeout after its first
     * attempt failed for want of a connection.
     */
    private static final class WithinConnectionTimeout implements RetryPolicy {

        private final long boundMillis;

        WithinConnectionTimeout(long boundMillis) {
            this.boundMillis = boundMillis;
        }

        @Override
        public boolean allowRetry(int retryCount, long elapsedTimeMs, RetrySleeper sleeper) {
            long pause = Math.min(1000, 50L << Math.min(retryCount, 5));
            if (elapsedTimeMs + pause >= boundMillis) {
                return false;
            }
            try {
                sleeper.sleepFor(pause, TimeUnit.MILLISECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Whether this process has a client for {@code address} now (for tests: a failed connect leaves none). */
    static boolean cached(ZkAddress address) {
        synchronized (CLIENTS) {
            return CLIENTS.containsKey(address.clientKey());
        }
    }

    /** Waits until the one connect's outcome is known, up to the shared deadline; throws if it failed. */
    private void awaitConnection() {
        try {
            connection.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return;
        } catch (TimeoutException late) {
            giveUp(); // unless CONNECTED came in the meantime: then connection is done, and we go on
        } catch (ExecutionException failed) {
            // another opener gave up at the deadline: reported below, in the same words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FutexRaException("interrupted while connecting to ZooKeeper at " + address.connectString(), e);
        }
        if (connection.isCompletedExceptionally()) {
            throw new SpaceUnavailableException("could not connect to ZooKeeper at " + address.connectString()
                    + " within " + address.connectionTimeout().toMillis() + " ms: check that the ensemble is up and"
                    + " reachable, or raise connectionTimeout in the space URI", null);
        }
    }

    /** Fails the connect at the deadline and forgets the client, at once, unless it connected first. */
    private void giveUp() {
        synchronized (CLIENTS) {
            if (connection.completeExceptionally(new TimeoutException("no CONNECTED before the deadline"))) {
                CLIENTS.remove(key, this);
            }
        }
    }

    /** One more user of a client already in use (a hold outliving its space handle). */
    void retain() {
        synchronized (CLIENTS) {
            users++;
        }
    }

    /** One user fewer; the last closes the client. */
    void release() {
        synchronized (CLIENTS) {
            if (--users > 0) {
                return;
            }
            CLIENTS.remove(key, this);
        }
        try {
            curator.close();
        } finally {
            notifier.shutdown();
        }
    }

    CuratorFramework curator() {
        return curator;
    }

    /** An unmodifiable list that answers {@code contains(null)} (ZooKeeper's create asks it; {@code List.of} throws). */
    private static List<ACL> acl(ACL... entries) {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(entries));
    }

    /** The ACL of every znode this client creates ({@code acl=} in the URI). */
    List<ACL> acl() {
        return acl;
    }

    /** The process's recipe of type {@code type} at {@code path}, made by {@code make} on first use. */
    <T> T recipe(String path, Class<T> type, Function<String, T> make) {
        return type.cast(recipes.computeIfAbsent(type.getName() + " " + path, k -> make.apply(path)));
    }

    /** Whether the connection is up now (not {@code SUSPENDED} or {@code LOST}). */
    boolean connected() {
        return !suspended && curator.getZookeeperClient().isConnected();
    }

    /** How many times the session was lost (class comment) since the client started. */
    long losses() {
        return losses.get();
    }

    /**
     * Whether the connection is up and the client knew itself connected less than T/3 ago (class
     * comment); if not, counts the session as lost first, so that a process resumed after a long
     * stop is told before it acts.
     */
    boolean stillConnected() {
        if (doubtNanos > 0 && System.nanoTime() - lastConnected > doubtNanos) {
            watchdog();
            return false;
        }
        return connected();
    }

    /** Tells {@code loss} when the session is lost, until {@link #untrack}. */
    void track(ZkLoss loss) {
        synchronized (tracked) {
            tracked.add(loss);
        }
    }

    void untrack(ZkLoss loss) {
        synchronized (tracked) {
            tracked.remove(loss);
        }
    }

    /** Runs {@code task} on the client's thread after {@code delayMillis}; nothing if the client is closed. */
    void runLater(Runnable task, long delayMillis) {
        try {
            notifier.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the client is closed: its holds were released before
        }
    }

    /** Counts the session as lost when the client was last known connected more than T/3 ago; notes now if connected. */
    private void watchdog() {
        long now = System.nanoTime();
        interruptWaitsCutOff(now);
        long doubt = doubtNanos;
        if (doubt == 0) {
            return; // never connected: nothing can be held
        }
        long last = lastConnected;
        boolean lose;
        synchronized (tracked) {
            lose = now - last > doubt && lossCountedFor != last;
            if (lose) {
                lossCountedFor = last;
            }
        }
        if (lose) {
            sessionLost("its ZooKeeper client was last known connected " + TimeUnit.NANOSECONDS.toMillis(now - last)
                    + " ms ago, past a third of the session timeout: the ensemble may have expired the session");
        } else if (connected()) {
            lastConnected = now;
        }
    }

    /** The session is lost: every tracked hold is, with {@code why}. */
    private void sessionLost(String why) {
        List<ZkLoss> lost;
        synchronized (tracked) {
            losses.incrementAndGet();
            lost = new ArrayList<>(tracked);
            tracked.clear();
        }
        for (ZkLoss loss : lost) {
            loss.lose(why);
        }
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                downSince = 0;
                int negotiated = curator.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
                checkGranted(negotiated);
                doubtNanos = TimeUnit.MILLISECONDS.toNanos(negotiated > 0 ? negotiated
                        : address.sessionTimeout().toMillis()) / 3;
                lastConnected = System.nanoTime();
                suspended = false;
                connection.complete(null); // the first CONNECTED settles the connect (later ones change nothing)
            }
            case SUSPENDED -> {
                suspended = true;
                wentDown();
            }
            case LOST -> {
                suspended = true;
                wentDown();
                sessionLost("its ZooKeeper session expired");
            }
            case READ_ONLY -> suspended = true; // never asked for (canBeReadOnly is off)
        }
    }

    /**
     * Says so (a warning on {@code System.Logger} {@code io.futexra.zookeeper}, and
     * {@link #sessionTimeoutNote()}) when the server granted another session timeout than the URI
     * asked for: it bounds a session to 2 to 20 of its ticks (or its min/max session timeout).
     */
    private void checkGranted(int granted) {
        long asked = address.sessionTimeout().toMillis();
        if (granted <= 0 || granted == asked || sessionTimeoutNote != null) {
            return;
        }
        sessionTimeoutNote = "ZooKeeper at " + address.connectString() + " granted a session timeout of " + granted
                + " ms, not the " + asked + " ms asked for (sessionTimeout=" + asked + "ms): the server allows"
                + (granted > asked ? " no less than 2 of its ticks (its minSessionTimeout)"
                        : " no more than 20 of its ticks (its maxSessionTimeout)") + "; holds are freed " + granted
                + " ms after their client stops being heard from, and a cut-off holder is told after " + granted / 3
                + " ms. Ask for a value the server grants, or change the server's tickTime or min/maxSessionTimeout";
        System.getLogger("io.futexra.zookeeper").log(System.Logger.Level.WARNING, sessionTimeoutNote);
    }

    /** What {@link #checkGranted} said, or null if the server granted the session timeout asked for. */
    String sessionTimeoutNote() {
        return sessionTimeoutNote;
    }

    private void wentDown() {
        if (downSince == 0) {
            downSince = System.nanoTime() | 1; // never 0
        }
    }

    /**
     * Runs a Curator wait ({@code wait}) so that it ends within the connection timeout of the
     * connection going down: the watchdog interrupts the waiting thread then (Curator's waits end
     * on an interrupt, and hand their node's delete to the background), and this method turns that
     * interrupt into a {@link SpaceUnavailableException} and clears it. Curator's own retries give
     * up on their own within the connection timeout too; this bounds its waits, which do not.
     *
     * @param what what the caller does, for the message
     */
    <T> T bounded(String what, java.util.concurrent.Callable<T> wait) throws Exception {
        Thread me = Thread.currentThread();
        boolean[] cut = {false};
        synchronized (waiting) {
            waiting.put(me, cut);
        }
        try {
            return wait.call();
        } catch (Exception e) {
            boolean cutOff;
            synchronized (waiting) {
                cutOff = cut[0];
            }
            if (cutOff) {
                SpaceUnavailableException unavailable = unavailable(what);
                unavailable.addSuppressed(e);
                throw unavailable;
            }
            throw e;
        } finally {
            synchronized (waiting) {
                waiting.remove(me);
                if (cut[0]) {
                    Thread.interrupted(); // ours, not the caller's
                }
            }
        }
    }

    /** Interrupts the waits of {@link #bounded} once the connection has been down for the connection timeout. */
    private void interruptWaitsCutOff(long now) {
        long down = downSince;
        if (down == 0 || now - down < address.connectionTimeout().toNanos()) {
            return;
        }
        synchronized (waiting) {
            for (Map.Entry<Thread, boolean[]> w : waiting.entrySet()) {
                if (!w.getValue()[0]) {
                    w.getValue()[0] = true;
                    w.getKey().interrupt();
                }
            }
        }
    }
}
