package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.SpaceUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

    private static final Map<String, ZkClient> CLIENTS = new HashMap<>();

    private final String key;
    private final CuratorFramework curator;
    private final Map<String, Object> recipes = new ConcurrentHashMap<>();
    /** Guarded by CLIENTS. */
    private int users;
    /** Set from SUSPENDED or LOST until CONNECTED or RECONNECTED. */
    private volatile boolean suspended;
    private volatile long losses;

    private ZkClient(ZkAddress address) {
        this.key = address.clientKey();
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(address.connectString())
                .sessionTimeoutMs(Math.toIntExact(address.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(address.connectionTimeout().toMillis()))
                .retryPolicy(new BoundedExponentialBackoffRetry(50, 1000, 10))
                .build();
        curator.getConnectionStateListenable().addListener((client, state) -> stateChanged(state));
    }

    /** The client for {@code address}, started if new, with one more user: pair with {@link #release()}. */
    static ZkClient acquire(ZkAddress address) {
        ZkClient client;
        synchronized (CLIENTS) {
            client = CLIENTS.computeIfAbsent(address.clientKey(), k -> new ZkClient(address));
            client.users++;
            if (client.users > 1) {
                return client;
            }
            client.curator.start();
        }
        try {
            if (!client.curator.blockUntilConnected(Math.toIntExact(address.connectionTimeout().toMillis()),
                    TimeUnit.MILLISECONDS)) {
                client.release();
                throw new SpaceUnavailableException("could not connect to ZooKeeper at " + address.connectString()
                        + " within " + address.connectionTimeout().toMillis() + " ms: check that the ensemble is up and"
                        + " reachable, or raise connectionTimeout in the space URI", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.release();
            throw new FutexRaException("interrupted while connecting to ZooKeeper at " + address.connectString(), e);
        }
        return client;
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
            case CONNECTED, RECONNECTED -> suspended = false;
            case SUSPENDED -> suspended = true;
            case LOST -> {
                suspended = true;
                losses++; // only the listener thread writes it
            }
            case READ_ONLY -> suspended = true; // never asked for (canBeReadOnly is off)
        }
    }
}
