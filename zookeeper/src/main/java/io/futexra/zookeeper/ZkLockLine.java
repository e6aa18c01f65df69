package io.futexra.zookeeper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.RetryLoop;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * The line of a plain lock: the znodes of its {@code lock} directory, where every acquisition
 * (holding or waiting) has two children created and deleted together:
 * <pre>
 * NAME/lock                       container
 * ├── ID-lock-NNNNNNNNNN          ephemeral sequential, data "PID TID HOST THREAD" ({@link ZkHolder}): its place in line
 * └── marker-ID                   persistent, empty: "this acquisition has not ended cleanly yet"
 * </pre>
 * {@code ID} is a random UUID chosen before the create, so each lock node and its marker name each
 * other. Lock nodes are ordered by Curator's sequence suffix, and markers are left out of the order.
 *
 * <p><b>Protocol</b> (one quorum write per acquire and per release, as raw Curator; see {@link ZkMutex}):
 * <ol>
 * <li><b>Enqueue:</b> one multi creates the lock node and its marker. Its reply carries the lock
 *     node's stat, whose czxid is the fencing token. The multi is idempotent: sent again after a
 *     connection loss, it fails on the existing marker, and the acquirer finds its lock node by
 *     {@code ID} in the directory (Curator's protected-create idea, without the extra name prefix).</li>
 * <li><b>Wait:</b> Curator's lock loop lists the directory and watches the lock node ahead; the
 *     listing also shows every marker, so dead acquisitions are seen without another read.</li>
 * <li><b>Release:</b> one multi deletes the marker, then the lock node, sent in the background.
 *     A waiter that gives up (timeout, {@code tryAcquire}) deletes both in one multi too, as a
 *     rule: see {@link ZkMutex} for the exceptions.</li>
 * </ol>
 *
 * <p><b>Invariants.</b> (I1) A marker without its lock node (an <em>orphan</em>) exists only
 * after an acquisition ended without its release multi: its session ended (killed, partitioned
 * past the session timeout) while it held or waited; or, for one round trip, a waiter that
 * Curator ended (an interrupt, an error, or a deadline that Curator's loop saw before the
 * driver did), between Curator's delete of its node and its own delete of its marker; or a
 * release whose multi failed, between its two fallback deletes. (I2) While a
 * marker exists its directory cannot be reaped, so every lock node alive beside it is from the
 * same sequence run: order by sequence is order by czxid. (I3) The marker's czxid is its lock
 * node's czxid (one transaction), known after the node is gone.
 *
 * <p><b>Judging an orphan</b> ({@link #verdict}): one read-only multi reads the orphan and the
 * oldest lock node of the listing at one instant. If that lock node is alive and older (smaller
 * czxid) than the orphan, it was ahead of the dead acquisition for that acquisition's whole
 * life, so the dead one never held: {@link Verdict#WAITER}, deleted without a report by whoever
 * sees it. Otherwise every node ahead of it is gone too, and whether it died holding or died
 * waiting and was then passed by releases cannot be told from what ZooKeeper keeps:
 * {@link Verdict#HOLDER}, reported (conservatively) to the next holder, which claims it by
 * deleting it — the one whose delete succeeds is told, so each death is reported once. A dead
 * waiter is therefore told apart whenever someone lists the lock while a node ahead of it is still
 * there: the acquirer queued behind it (woken by its node's deletion), or any acquirer arriving
 * before the holder ahead releases. A dead waiter that nobody saw before the nodes ahead of it
 * were released is reported to the next holder as a death, and so is a waiter ended by Curator
 * whose marker delete is overtaken by a release and a listing within that one round trip (the
 * judge's own read usually comes after the marker delete and finds it gone).
 */
final class ZkLockLine {

    /** Curator's lock-node name, so that its sort by sequence applies to our nodes. */
    static final String LOCK_NAME = "lock-";
    private static final String MARKER = "marker-";
    private static final String NODE_INFIX = "-" + LOCK_NAME;

    /** What an orphan marker says about its dead acquisition. */
    enum Verdict {
        /** the marker is gone (released, claimed or cleaned meanwhile): nothing to do */
        GONE,
        /** a live node was ahead of it all along: a waiter that died; delete it, tell nobody */
        WAITER,
        /** nothing live was ahead of it: it may have held; the next holder claims it and is told */
        HOLDER
    }

    private ZkLockLine() {
    }

    /** The lock node name prefix of acquisition {@code id} (ZooKeeper appends the sequence). */
    static String nodePrefix(String id) {
        return id + NODE_INFIX;
    }

    /** The marker of acquisition {@code id}. */
    static String marker(String id) {
        return MARKER + id;
    }

    /** The marker path of the lock node at {@code nodePath}, or null if the node is not one of ours (no ID). */
    static String markerOf(String nodePath) {
        int slash = nodePath.lastIndexOf('/');
        int infix = nodePath.lastIndexOf(NODE_INFIX);
        return infix <= slash + 1 ? null : nodePath.substring(0, slash + 1) + MARKER + nodePath.substring(slash + 1, infix);
    }

    /** Whether the child {@code name} of a line is a marker. */
    static boolean isMarker(String name) {
        return name.startsWith(MARKER);
    }

    /** The lock nodes among {@code children}, in line (by sequence): everything but markers. */
    static List<String> lockNodes(List<String> children) {
        List<String> line = new ArrayList<>(children.size());
        for (String child : children) {
            if (!child.startsWith(MARKER)) {
                line.add(child);
            }
        }
        line.sort((a, b) -> StandardLockInternalsDriver.standardFixForSorting(a, LOCK_NAME)
                .compareTo(StandardLockInternalsDriver.standardFixForSorting(b, LOCK_NAME)));
        return line;
    }

    /** The markers among {@code children} whose lock node is not among them (I1). */
    static List<String> orphans(List<String> children) {
        Set<String> ids = new HashSet<>();
        for (String child : children) {
            int infix = child.lastIndexOf(NODE_INFIX);
            if (!child.startsWith(MARKER) && infix > 0) {
                ids.add(child.substring(0, infix));
            }
        }
        List<String> orphans = new ArrayList<>();
        for (String child : children) {
            if (child.startsWith(MARKER) && !ids.contains(child.substring(MARKER.length()))) {
                orphans.add(child);
            }
        }
        return orphans;
    }

    /**
     * Creates acquisition {@code id}'s lock node and marker in {@code dir} in one multi (retried
     * by Curator's retry policy under connection loss), creating the container if it is missing.
     *
     * @param acl the ACL of both nodes (the client's, {@link ZkClient#acl()})
     * @param czxid receives the lock node's czxid at index 0, or 0 if the reply did not carry it
     * @return the lock node's path
     * @throws KeeperException.NoNodeException if an earlier send went through but the node died
     *     with a session lost since (the caller's marker is then an orphan: delete it, enqueue anew)
     */
    static String enqueue(CuratorFramework client, String dir, String id, byte[] holder, List<ACL> acl, long[] czxid)
            throws Exception {
        List<Op> ops = List.of(
                Op.create(dir + "/" + nodePrefix(id), holder,
                        CreateOptions.newBuilder(acl, CreateMode.EPHEMERAL_SEQUENTIAL).build()),
                Op.create(dir + "/" + marker(id), new byte[0], acl, CreateMode.PERSISTENT));
        while (true) {
            try {
                List<OpResult> done = RetryLoop.callWithRetry(client.getZookeeperClient(),
                        () -> client.getZookeeperClient().getZooKeeper().multi(ops));
                OpResult.CreateResult node = (OpResult.CreateResult) done.get(0);
                czxid[0] = node.getStat() == null ? 0 : node.getStat().getCzxid(); // null: a server before 3.9
                return node.getPath();
            } catch (KeeperException.NoNodeException noDirectory) {
                client.createContainers(dir); // first use, or reaped while empty: make it, send again
            } catch (KeeperException.NodeExistsException sentTwice) {
                for (String child : client.getChildren().forPath(dir)) {
                    if (child.startsWith(nodePrefix(id))) {
                        czxid[0] = 0;
                        return dir + "/" + child;
                    }
                }
                throw new KeeperException.NoNodeException(dir + "/" + nodePrefix(id) + "*: created, then lost with its session");
            }
        }
    }

    /**
     * Judges the orphan {@code marker} of {@code dir} against {@code oldestLive}, the first lock
     * node of the listing that showed the orphan (null if none), read together at one instant.
     *
     * @param deadCzxid the orphan's czxid if already known (then a gone marker is still judged), else 0
     */
    static Verdict verdict(CuratorFramework client, String dir, String marker, String oldestLive, long deadCzxid)
            throws Exception {
        List<Op> reads = oldestLive == null ? List.of(Op.getData(dir + "/" + marker))
                : List.of(Op.getData(dir + "/" + marker), Op.getData(dir + "/" + oldestLive));
        List<OpResult> both = RetryLoop.callWithRetry(client.getZookeeperClient(),
                () -> client.getZookeeperClient().getZooKeeper().multi(reads));
        Stat markerStat = both.get(0) instanceof OpResult.GetDataResult m ? m.getStat() : null;
        Stat liveStat = both.size() > 1 && both.get(1) instanceof OpResult.GetDataResult l ? l.getStat() : null;
        long dead = markerStat != null ? markerStat.getCzxid() : deadCzxid;
        if (dead == 0) {
            return Verdict.GONE;
        }
        if (liveStat != null && liveStat.getCzxid() < dead) {
            return Verdict.WAITER;
        }
        return Verdict.HOLDER; // with a known czxid, even if the marker is gone (claimed by the next holder)
    }

    /**
     * Deletes the pair of acquisition {@code id} in the background when its lock node's name is not
     * known (its create was cut short by an interrupt, and may or may not have been applied): lists
     * {@code dir}, then releases the pair ({@link #releaseInBackground}) or, with no node, the marker.
     */
    static void abandonInBackground(CuratorFramework client, String dir, String id) {
        String marker = dir + "/" + marker(id);
        try {
            client.getChildren().inBackground((c, listing) -> {
                List<String> found = listing.getChildren() == null ? List.of() : listing.getChildren();
                String node = found.stream().filter(child -> child.startsWith(nodePrefix(id))).findFirst().orElse(null);
                if (node != null) {
                    releaseInBackground(client, dir + "/" + node);
                } else {
                    ZkOwners.deleteInBackground(client, marker);
                }
            }).forPath(dir);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // a background call fails here only if the client is closed: the session ends, the node with it
        }
    }

    /**
     * Deletes the marker, then the lock node at {@code nodePath}, in one multi sent in the
     * background (retried by Curator under connection loss); if it fails (still cut off after the
     * retries, or one of the two is already gone), each is deleted on its own with Curator's
     * guaranteed background delete, marker first.
     */
    static void releaseInBackground(CuratorFramework client, String nodePath) {
        String marker = markerOf(nodePath);
        if (marker == null) {
            ZkOwners.deleteInBackground(client, nodePath); // not a node of ours: no marker
            return;
        }
        try {
            client.transaction().inBackground((c, event) -> {
                if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                    ZkOwners.deleteInBackground(client, marker);
                    ZkOwners.deleteInBackground(client, nodePath);
                }
            }).forOperations(client.transactionOp().delete().forPath(marker),
                    client.transactionOp().delete().forPath(nodePath));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // a background call fails here only if the client is closed: the session ends, the node with it
        }
    }
}
