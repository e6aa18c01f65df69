package io.futexra.zookeeper;

import io.futexra.OwnerDeathNotice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Watches a ZooKeeper lock for the death of its holder — the end of the holder's session without a
 * clean release — for a {@link ZkDispatcher}. No polling: every fact comes from a watch.
 *
 * <p>What it reads (the lock's znodes, drawn in {@link ZkSpace}): each exclusive holder writes a
 * persistent <em>marker</em> {@code owners/HEX-CZXID} whose data is the path of its ephemeral
 * lock node, and deletes the marker on a clean release <em>before</em> its lock node. When the
 * holder's session ends, the server deletes the lock node and the marker stays; the next acquirer
 * finds it, is told {@code previousOwnerDied}, and deletes it ({@link ZkOwners} writes and claims them).
 *
 * <p>Protocol. ZooKeeper delivers one client's watch events in the order of the transactions that
 * caused them, so the watch keeps its own watcher and judges the events it queues, in order:
 * <ul>
 * <li>It lists {@code owners} with a child watch (or, while that container is absent, watches for
 *     its creation); for each marker it has not seen, it reads the marker with a data watch (the
 *     marker's deletion fires it) and asks whether the lock node named there exists, with a watch
 *     (its deletion fires it).</li>
 * <li>The marker deleted first: a clean release; forgotten.</li>
 * <li>The lock node deleted while its marker was still there: the holder died holding the lock.
 *     {@code recovered} is whether the marker is gone by the time the watch looks (the next
 *     acquirer took over and was told); otherwise the lock is abandoned and its next acquirer will
 *     be told. A marker whose lock node is already gone when first seen is a death found the same way.</li>
 * <li>Once per death: deaths are named by the marker; a reported marker is remembered until the
 *     next holder claims (deletes) it, and never judged again.</li>
 * </ul>
 *
 * <p>{@link OwnerDeathNotice} fields: {@code deadOwnerToken} is the dead acquisition's fencing
 * token (the czxid the marker is named by); {@code ownerTid} is always 0 — a ZooKeeper holder is
 * a session, and its thread id on its host is not recorded.
 */
final class ZkOwnerDeathWatch implements Watcher {

    final Consumer<OwnerDeathNotice> listener;
    private final ZkSpace space;
    private final String lockName;
    private final String ownersPath;
    private final Runnable wake;
    private final ConcurrentLinkedQueue<WatchedEvent> events = new ConcurrentLinkedQueue<>();
    /** Markers being watched (marker path to lock node path); touched by the leader only. */
    private final Map<String, String> markers = new HashMap<>();
    /** Markers already reported as deaths and still there (until the next holder claims them); leader only. */
    private final Set<String> reported = new HashSet<>();

    ZkOwnerDeathWatch(ZkSpace space, String lockName, String objectPath, Consumer<OwnerDeathNotice> listener,
                      Runnable wake) {
        this.space = space;
        this.lockName = lockName;
        this.ownersPath = objectPath + "/owners";
        this.listener = listener;
        this.wake = wake;
    }

    @Override
    public void process(WatchedEvent event) {
        events.add(event);
        wake.run();
    }

    /**
     * Judges the events queued since the last look, then lists the markers again with the watches
     * set: the notice of one death found, or {@code null} (then every watch is set).
     */
    synchronized OwnerDeathNotice look() {
        WatchedEvent e;
        while ((e = events.poll()) != null) {
            if (e.getType() != Event.EventType.NodeDeleted || e.getPath() == null) {
                continue; // a new marker, a state change: the listing below sees to it
            }
            if (markers.remove(e.getPath()) != null) {
                continue; // the marker went first: a clean release
            }
            for (Map.Entry<String, String> m : markers.entrySet()) {
                if (m.getValue().equals(e.getPath())) {
                    return death(m.getKey());
                }
            }
        }
        return list();
    }

    /** Lists the markers, watching; the first marker found without its lock node is a death. */
    private OwnerDeathNotice list() {
        CuratorFramework client = space.client();
        List<String> children;
        try {
            if (client.checkExists().usingWatcher(this).forPath(ownersPath) == null) {
                return null; // never held yet, or the container was removed: its creation fires the watch
            }
            children = client.getChildren().usingWatcher(this).forPath(ownersPath);
        } catch (KeeperException.NoNodeException gone) {
            return null; // removed between the two calls: the existence watch fires on its return
        } catch (Exception e) {
            throw space.failure("watch lock '" + lockName + "' for its holder's death", e);
        }
        Set<String> listed = new HashSet<>();
        for (String child : children) {
            listed.add(ownersPath + "/" + child);
        }
        reported.retainAll(listed); // a claimed marker's name is never used again: forget it
        for (String marker : listed) {
            if (markers.containsKey(marker) || reported.contains(marker)) {
                continue;
            }
            try {
                String lockNode = new String(client.getData().usingWatcher(this).forPath(marker), StandardCharsets.UTF_8);
                if (!lockNode.startsWith("/")) {
                    continue; // not a path: not a marker futex-ra wrote; nothing to judge by
                }
                markers.put(marker, lockNode);
                if (client.checkExists().usingWatcher(this).forPath(lockNode) == null) {
                    if (markedButUnheld(client, marker, lockNode)) {
                        return death(marker); // its holder was gone before we looked
                    }
                    markers.remove(marker); // a clean release between our two reads: marker first, then the node
                }
            } catch (KeeperException.NoNodeException | IllegalArgumentException released) {
                markers.remove(marker); // released meanwhile (or a bad path in the data: ignored)
            } catch (Exception e) {
                throw space.failure("watch lock '" + lockName + "' for its holder's death", e);
            }
        }
        return null;
    }

    /**
     * Whether, at one instant, {@code marker} exists and {@code lockNode} does not: one read-only
     * multi, so a clean release (which deletes the marker before the node) is never taken for a
     * death, as two separate reads could when the release falls between them.
     */
    private static boolean markedButUnheld(CuratorFramework client, String marker, String lockNode) throws Exception {
        List<OpResult> both = client.getZookeeperClient().getZooKeeper()
                .multi(List.of(Op.getData(marker), Op.getData(lockNode)));
        return both.get(0) instanceof OpResult.GetDataResult && both.get(1) instanceof OpResult.ErrorResult
                && ((OpResult.ErrorResult) both.get(1)).getErr() == KeeperException.Code.NONODE.intValue();
    }

    /** Reports the death {@code marker} names, once: it is judged, and not judged again while it stays. */
    private OwnerDeathNotice death(String marker) {
        markers.remove(marker);
        reported.add(marker);
        boolean recovered;
        try {
            recovered = space.client().checkExists().forPath(marker) == null;
        } catch (Exception e) {
            throw space.failure("watch lock '" + lockName + "' for its holder's death", e);
        }
        return new OwnerDeathNotice(space.name(), lockName, token(marker), 0, recovered, Instant.now());
    }

    /** The fencing token a marker is named by ({@code HEX-CZXID}), or 0 if its name is not one. */
    private static long token(String marker) {
        String hex = marker.substring(marker.lastIndexOf('/') + 1);
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Drops this watch's registrations in the client (no server round trip). */
    synchronized void forget() {
        try {
            space.client().watchers().remove(this).locally().quietly().forPath(ownersPath);
            for (Map.Entry<String, String> m : markers.entrySet()) {
                space.client().watchers().remove(this).locally().quietly().forPath(m.getKey());
                space.client().watchers().remove(this).locally().quietly().forPath(m.getValue());
            }
        } catch (Exception e) {
            // nothing registered any more: nothing to drop
        }
    }
}
