package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.SpaceUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;

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

    private final String key;
    private final ZkAddress address;
    private final CuratorFramework curator;
    private final Map<String, Object> recipes = new ConcurrentHashMap<>();
    /** The outcome of the one connect: done on CONNECTED, failed at the deadline without it. */
    private final CompletableFuture<Void> connection = new CompletableFuture<>();
    /** Guarded by CLIENTS. */
    private int users;
    /** When every opener's wait for the connect ends ({@link System#nanoTime()}). */
    private final long deadline;
    /** Set from SUSPENDED or LOST until CONNECTED or RECONNECTED. */
    private volatile boolean suspended;
    private volatile long losses;

    private ZkClient(ZkAddress address) {
        this.key = address.clientKey();
        this.address = address;
        this.deadline = System.nanoTime() + address.connectionTimeout().toNanos();
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(address.connectString())
                .sessionTimeoutMs(Math.toIntExact(address.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(address.connectionTimeout().toMillis()))
                .retryPolicy(new BoundedExponentialBackoffRetry(50, 1000, 10))
                .build();
        curator.getConnectionStateListenable().addListener((client, state) -> stateChanged(state));
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
        curator.close();
    }

    CuratorFramework curator() {
        return curator;
    }

    /** The process's recipe of type {@code type} at {@code path}, made by {@code make} on first use. */
    <T> T recipe(String path, Class<T> type, Function<String, T> make) {
        return type.cast(recipes.computeIfAbsent(type.getName() + " " + path, k -> make.apply(path)));
    }

    /** Whether the connection is up now (not {@code SUSPENDED} or {@code LOST}). */
    boolean connected() {
        return !suspended && curator.getZookeeperClient().isConnected();
    }

    /** How many times the session was lost since the client started. */
    long losses() {
        return losses;
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                suspended = false;
                connection.complete(null); // the first CONNECTED settles the connect (later ones change nothing)
            }
            case SUSPENDED -> suspended = true;
            case LOST -> {
                suspended = true;
                losses++; // only the listener thread writes it
            }
            case READ_ONLY -> suspended = true; // never asked for (canBeReadOnly is off)
        }
    }
}
