package io.futexra.zookeeper;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Whether one outermost hold (its lock, write or read node, or its semaphore lease node) is lost,
 * and the actions to run when it is: shared by the {@link ZkHeld}s of that hold (re-entries).
 *
 * <p><b>How a loss is learnt.</b> Two sources, whichever comes first:
 * <ul>
 * <li>the node itself: once acquired, an existence read sets a watch on the node, sent in the
 *     background (the acquire does not wait for it; ZooKeeper applies a session's requests in
 *     order, so it is read before anything the holder does next). The read finding no node, or
 *     the watch firing {@code NodeDeleted}, is a loss: someone deleted the node, and the next in
 *     line may hold already. The watch survives reconnection in the same session (the client
 *     sets it again, and it fires if the node went meanwhile);</li>
 * <li>the session, through {@link ZkClient}: it expired, or the client has not known itself
 *     connected for so long that the ensemble may have expired it ({@link ZkClient} says when),
 *     or the process did not run for that long (a stop signal, a long pause): every hold
 *     registered then is lost. A hold registers after acquiring and compares the client's count
 *     of session losses with the one taken before it began to wait, so a loss in between is not
 *     missed.</li>
 * </ul>
 * A loss is final (the hold stays lost even if the node or the session turns out alive) and its
 * actions run once, on the client's thread ({@link ZkClient#runLater}), in registration order.
 * {@link #end} (the hold's release) drops the actions and the registration; the watch then fires
 * on the release's own delete and is ignored.
 */
final class ZkLoss {

    private static final long REARM_MILLIS = 200;

    private final ZkClient client;
    private final String node;
    private final long lossesAtAcquire;
    /** Why it was lost, null while not lost. Guarded by this. */
    private String cause;
    private boolean ended;
    private List<Runnable> actions = new ArrayList<>();

    /**
     * @param node the hold's own znode
     * @param lossesAtAcquire {@link ZkClient#losses()} taken before the acquisition began to wait
     */
    ZkLoss(ZkClient client, String node, long lossesAtAcquire) {
        this.client = client;
        this.node = node;
        this.lossesAtAcquire = lossesAtAcquire;
    }

    /** Registers with the client and sets the watch on the node: called once, just after acquiring. */
    ZkLoss watch() {
        client.track(this);
        if (client.losses() != lossesAtAcquire) {
            lose("its ZooKeeper session was lost while it was being acquired");
            return this;
        }
        arm();
        return this;
    }

    private void arm() {
        if (over()) {
            return;
        }
        CuratorWatcher watcher = this::watched;
        try {
            client.curator().checkExists().usingWatcher(watcher).inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    lose("its node " + node + " is gone");
                } else if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                    client.runLater(this::arm, REARM_MILLIS); // connection trouble: the session side covers a loss
                }
            }).forPath(node);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                client.runLater(this::arm, 0);
            }
            // otherwise the client is closing: the hold is released (its last user) before that
        }
    }

    private void watched(WatchedEvent event) {
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            lose("its node " + node + " was deleted");
        } else if (event.getType() != Watcher.Event.EventType.None) {
            arm(); // the data changed (nobody of ours writes it): watch again
        }
    }

    /** Whether the hold is lost. */
    synchronized boolean lost() {
        return cause != null;
    }

    /** Why the hold was lost, or null. */
    synchronized String cause() {
        return cause;
    }

    /** Runs {@code action} once when the hold is lost: at once, on this thread, if it is already. */
    void onLost(Runnable action) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (cause == null) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    /** Marks the hold lost for {@code why}, once, and runs its actions on the client's thread. */
    void lose(String why) {
        List<Runnable> run;
        synchronized (this) {
            if (cause != null || ended) {
                return;
            }
            cause = why;
            run = actions;
            actions = List.of();
        }
        client.untrack(this);
        if (!run.isEmpty()) {
            client.runLater(() -> {
                for (Runnable action : run) {
                    try {
                        action.run();
                    } catch (RuntimeException | Error e) {
                        Thread t = Thread.currentThread();
                        t.getUncaughtExceptionHandler().uncaughtException(t, e); // the others still run
                    }
                }
            }, 0);
        }
    }

    /** The hold was released: no action runs from now on. */
    void end() {
        synchronized (this) {
            ended = true;
            actions = List.of();
        }
        client.untrack(this);
    }

    private synchronized boolean over() {
        return ended || cause != null;
    }

    /** For messages and tests. */
    String node() {
        return node;
    }

    @Override
    public String toString() {
        return "ZkLoss[" + node + (lost() ? ", lost: " + cause() : "") + "]";
    }
}
