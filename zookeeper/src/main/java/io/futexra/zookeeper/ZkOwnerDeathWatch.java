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
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Watches a ZooKeeper lock for the death of its holder — the end of the holder's session without a
 * clean release — for a {@link ZkDispatcher}. No polling: every fact comes from a watch.
 *
 * <p>What it reads: the lock's <em>markers</em>, persistent znodes that an acquisition's clean
 * end deletes before (or with) its ephemeral lock node. Two layouts:
 * <ul>
 * <li>a plain lock keeps them <b>in line</b>, {@code lock/marker-ID} beside {@code lock/ID-lock-N},
 *     created with the lock node when it queues and deleted with it in one multi on release
 *     ({@link ZkLockLine}); the token is the marker's czxid, which is its lock node's;</li>
 * <li>the write side of a read/write lock keeps them under {@code owners}: {@code owners/HEX-CZXID},
 *     data = the path of its lock node, written once it holds ({@link ZkOwners}). The data is
 *     untrusted: a path that is not a child of this lock's own {@code rw} node is ignored.</li>
 * </ul>
 *
 * <p>Protocol. ZooKeeper delivers one client's watch events in the order of the transactions that
 * caused them, so the watch keeps its own watcher and judges the events it queues, in order:
 * <ul>
 * <li>It lists the markers' directory with a child watch (or, while that container is absent,
 *     watches for its creation); for each marker it has not seen, it reads the marker with a data
 *     watch (the marker's deletion fires it) and asks whether its lock node exists, with a watch
 *     (its deletion fires it).</li>
 * <li>The marker deleted first (or in the same multi, listed first): a clean end; forgotten.</li>
 * <li>The lock node deleted while its marker was still there: the acquisition died. In line, a
 *     marker exists while its acquirer only waits, so the death is then judged as
 *     {@link ZkLockLine#verdict} does: if a lock node older than the dead one is alive, the dead
 *     one never held and nothing is reported; otherwise it is reported (conservatively when it
 *     cannot be told whether it held, as that class says). {@code recovered} is whether the
 *     marker is gone by the time the watch looks (the next acquirer took over and was told);
 *     otherwise the lock is abandoned and its next acquirer will be told. A marker whose lock node
 *     is already gone when first seen is judged the same way.</li>
 * <li>Once per death: deaths are named by the marker; a judged marker is remembered until it is
 *     deleted, and never judged again.</li>
 * </ul>
 *
 * <p>{@link OwnerDeathNotice} fields: {@code deadOwnerToken} is the dead acquisition's fencing
 * token; {@code ownerTid} is always 0 — a ZooKeeper holder is a session, and its thread id on its
 * host is not recorded.
 */
final class ZkOwnerDeathWatch implements Watcher {

    /** A watched marker: its lock node's path and its acquisition's fencing token. */
    private record Marked(String lockNode, long token) {
    }

    final Consumer<OwnerDeathNotice> listener;
    private final ZkSpace space;
    private final String lockName;
    /** Markers in line (a plain lock) or under {@code owners} (a write lock). */
    private final boolean inLine;
    private final String markersPath;
    /** Where a write lock's marker data may point: its lock nodes are children of this node. */
    private final String lockNodesPath;
    private final Runnable wake;
    private final ConcurrentLinkedQueue<WatchedEvent> events = new ConcurrentLinkedQueue<>();
    /** Markers being watched; touched by the leader only. */
    private final Map<String, Marked> markers = new HashMap<>();
    /** Markers already judged (reported, or a dead waiter's) and still there; leader only. */
    private final Set<String> judged = new HashSet<>();

    ZkOwnerDeathWatch(ZkNamedLock lock, Consumer<OwnerDeathNotice> listener, Runnable wake) {
        this.space = lock.space();
        this.lockName = lock.name();
        this.inLine = lock.marksInLine();
        this.markersPath = lock.objectPath() + (inLine ? "/lock" : "/owners");
        this.lockNodesPath = lock.objectPath() + (inLine ? "/lock" : "/rw");
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
                continue; // the marker went first: a clean end
            }
            String path = e.getPath();
            Map.Entry<String, Marked> dead = markers.entrySet().stream()
                    .filter(m -> m.getValue().lockNode().equals(path)).findFirst().orElse(null);
            if (dead != null) {
                markers.remove(dead.getKey());
                // the node went first: the marker outlived it (a claim of it since is the next holder's)
                OwnerDeathNotice notice = judge(dead.getKey(), dead.getValue().token(), true);
                if (notice != null) {
                    return notice;
                }
            }
        }
        return list();
    }

    /** Lists the markers, watching; the first marker found without its lock node is judged. */
    private OwnerDeathNotice list() {
        CuratorFramework client = space.client();
        List<String> children;
        try {
            if (client.checkExists().usingWatcher(this).forPath(markersPath) == null) {
                return null; // never held yet, or the container was removed: its creation fires the watch
            }
            children = client.getChildren().usingWatcher(this).forPath(markersPath);
        } catch (KeeperException.NoNodeException gone) {
            return null; // removed between the two calls: the existence watch fires on its return
        } catch (Exception e) {
            throw failure(e);
        }
        Map<String, String> listed = new HashMap<>(); // marker path to its lock node path, null if not known yet
        for (String child : children) {
            if (!inLine) {
                listed.put(markersPath + "/" + child, null);
            } else if (ZkLockLine.isMarker(child)) {
                listed.put(markersPath + "/" + child, "");
            }
        }
        if (inLine) {
            for (String node : ZkLockLine.lockNodes(children)) {
                String marker = ZkLockLine.markerOf(markersPath + "/" + node);
                if (marker != null && listed.containsKey(marker)) {
                    listed.put(marker, markersPath + "/" + node);
                }
            }
        }
        judged.retainAll(listed.keySet()); // a deleted marker's name is never used again: forget it
        for (Map.Entry<String, String> entry : listed.entrySet()) {
            String marker = entry.getKey();
            if (markers.containsKey(marker) || judged.contains(marker)) {
                continue;
            }
            try {
                OwnerDeathNotice notice = watch(client, marker, entry.getValue(), children);
                if (notice != null) {
                    return notice;
                }
            } catch (KeeperException.NoNodeException released) {
                markers.remove(marker); // released meanwhile
            } catch (IllegalArgumentException notAPath) {
                judged.add(marker); // marker data that is no valid path: not ours to judge
                markers.remove(marker);
            } catch (Exception e) {
                throw failure(e);
            }
        }
        return null;
    }

    /**
     * Starts watching {@code marker} and its lock node ({@code lockNode}: "" in line if the listing
     * had none, null under {@code owners}: read from the marker); judges it if the node is gone.
     */
    private OwnerDeathNotice watch(CuratorFramework client, String marker, String lockNode, List<String> children)
            throws Exception {
        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).usingWatcher(this).forPath(marker);
        if (!inLine) {
            lockNode = new String(data, StandardCharsets.UTF_8);
            ZKPaths.PathAndNode parent = ZKPaths.getPathAndNode(lockNode);
            if (!parent.getPath().equals(lockNodesPath) || parent.getNode().isEmpty()) {
                judged.add(marker); // not a lock node of this lock: nothing to judge by (marker data is untrusted)
                return null;
            }
        }
        long token = inLine ? stat.getCzxid() : token(marker);
        if (inLine && lockNode.isEmpty()) { // an orphan at first sight (ZkLockLine invariant I1)
            List<String> line = ZkLockLine.lockNodes(children);
            ZkLockLine.Verdict verdict = ZkLockLine.verdict(client, markersPath, marker.substring(markersPath.length() + 1),
                    line.isEmpty() ? null : line.get(0), 0);
            return verdict == ZkLockLine.Verdict.HOLDER ? death(marker, token) : settled(marker);
        }
        markers.put(marker, new Marked(lockNode, token));
        if (client.checkExists().usingWatcher(this).forPath(lockNode) != null) {
            return null;
        }
        markers.remove(marker);
        if (inLine) {
            return judge(marker, token, false); // both may have gone in one clean release since our read
        }
        // under owners: a clean release deletes the marker before the node, so look at both at one instant
        return markedButUnheld(client, marker, lockNode) ? death(marker, token) : null;
    }

    /**
     * A marker whose lock node went while it stayed: a death, unless (in line) an older node was
     * alive all along, or ({@code outlived} false: not known that the marker outlived the node) the
     * marker is gone too.
     */
    private OwnerDeathNotice judge(String marker, long token, boolean outlived) {
        if (!inLine) {
            return death(marker, token);
        }
        CuratorFramework client = space.client();
        try {
            List<String> line;
            try {
                line = ZkLockLine.lockNodes(client.getChildren().forPath(markersPath));
            } catch (KeeperException.NoNodeException reaped) {
                line = List.of();
            }
            ZkLockLine.Verdict verdict = ZkLockLine.verdict(client, markersPath, marker.substring(markersPath.length() + 1),
                    line.isEmpty() ? null : line.get(0), outlived ? token : 0);
            return verdict == ZkLockLine.Verdict.HOLDER ? death(marker, token) : settled(marker);
        } catch (Exception e) {
            throw failure(e);
        }
    }

    /** Remembers a marker judged not to be a holder's death: not judged again while it stays. */
    private OwnerDeathNotice settled(String marker) {
        judged.add(marker);
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
    private OwnerDeathNotice death(String marker, long token) {
        judged.add(marker);
        boolean recovered;
        try {
            recovered = space.client().checkExists().forPath(marker) == null;
        } catch (Exception e) {
            throw failure(e);
        }
        return new OwnerDeathNotice(space.name(), lockName, token, 0, recovered, Instant.now());
    }

    private RuntimeException failure(Exception e) {
        return space.failure("watch lock '" + lockName + "' for its holder's death", e);
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
            space.client().watchers().remove(this).locally().quietly().forPath(markersPath);
            for (Map.Entry<String, Marked> m : markers.entrySet()) {
                space.client().watchers().remove(this).locally().quietly().forPath(m.getKey());
                space.client().watchers().remove(this).locally().quietly().forPath(m.getValue().lockNode());
            }
        } catch (Exception e) {
            // nothing registered any more: nothing to drop
        }
    }
}
