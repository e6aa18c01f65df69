package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Fencing tokens, and the owner-death markers of write locks and semaphore permits (plain locks
 * keep theirs in line: {@link ZkLockLine}).
 *
 * <p><b>Fencing token</b> = the czxid of the holder's lock node (or semaphore lease node): the
 * zxid of the transaction that created it. Zxids are ensemble-wide and only grow, and a holder's
 * node is created before it can hold, after every earlier holder's node; so each exclusive
 * holder's token is larger than every earlier holder's, across all clients, even when the
 * container parent was removed and Curator's sequence numbers restarted at 0.
 *
 * <p><b>Markers.</b> A holder that has acquired creates {@code owners/HEX-CZXID} (persistent,
 * data: its lock node's path) and deletes it on a clean release, before its lock node. So a
 * marker whose lock node no longer exists belongs to a holder whose session ended while it held
 * (killed, crashed, partitioned past its session timeout). The next acquirer claims such markers
 * by deleting them; the one whose delete succeeds is told {@code previousOwnerDied}, so a death is
 * reported once. Readers of a read/write lock look without claiming (a writer claims).
 *
 * <p>A release whose marker delete fails (connection lost at that moment) leaves it to Curator's
 * guaranteed delete, retried in the background; if the lock node's delete lands first, the next
 * holder may be told {@code previousOwnerDied} although the holder released: conservative, since
 * that holder's last writes could not be confirmed either.
 */
final class ZkOwners {

    /** A holder's token and what it found. */
    record Claim(long token, boolean previousOwnerDied) {
    }

    private ZkOwners() {
    }

    /**
     * Takes the token of {@code lockNode} (just acquired: its czxid, read), claims dead holders'
     * markers if {@code exclusive} (else only looks), and, if {@code mark}, writes this holder's marker.
     *
     * <p><b>Round trips.</b> The marker is written in one transaction that checks the lock node
     * and creates the marker: a session lost since the lock node's create fails it as a separate
     * existence read would, with no window between the two. It is written after the claims and
     * waited for before the hold is handed out, so a holder that dies while holding has a marker
     * (one that dies before it lands never held: its caller got an exception).
     *
     * @throws FutexRaException if the lock node is already gone (the session was lost meanwhile)
     */
    static Claim claim(ZkSpace space, String objectPath, String lockNode, boolean exclusive, boolean mark)
            throws Exception {
        CuratorFramework curator = space.client();
        long czxid = readCzxid(space, lockNode);
        String owners = objectPath + "/owners";
        boolean died = false;
        List<String> markers;
        try {
            markers = curator.getChildren().forPath(owners);
        } catch (KeeperException.NoNodeException none) {
            markers = List.of();
        }
        for (String marker : markers) {
            String markerPath = owners + "/" + marker;
            String holderNode;
            try {
                holderNode = new String(curator.getData().forPath(markerPath), StandardCharsets.UTF_8);
            } catch (KeeperException.NoNodeException claimedMeanwhile) {
                continue;
            }
            if (holderNode.equals(lockNode) || curator.checkExists().forPath(holderNode) != null) {
                continue; // a live holder (a reader beside us, a semaphore's other permits)
            }
            if (!exclusive) {
                died = true;
                continue;
            }
            try {
                curator.delete().forPath(markerPath);
                died = true; // our delete won: this death is reported to us alone
            } catch (KeeperException.NoNodeException claimedByAnother) {
                // another acquirer (a semaphore's) was told
            }
        }
        if (mark) {
            writeMarker(space, lockNode, markerPath(objectPath, czxid));
        }
        return new Claim(czxid, died);
    }

    private static long readCzxid(ZkSpace space, String lockNode) throws Exception {
        Stat stat = space.client().checkExists().forPath(lockNode);
        if (stat == null) {
            throw sessionLost(space, lockNode);
        }
        return stat.getCzxid();
    }

    /** The failure of an acquisition whose lock node vanished before it was handed out. */
    static FutexRaException sessionLost(ZkSpace space, String lockNode) {
        return new FutexRaException("the ZooKeeper session of " + space + " was lost while acquiring (lock node "
                + lockNode + " is gone): nothing is held; acquire again");
    }

    /**
     * Creates the marker if the lock node still exists, in one transaction. Its only expected
     * failure is NoNode: the lock node is gone (session lost) or the {@code owners} container is
     * (first holder, or reaped while empty); the second case creates it with its parents and
     * writes the marker again, after a fresh existence read.
     */
    private static void writeMarker(ZkSpace space, String lockNode, String markerPath) throws Exception {
        CuratorFramework curator = space.client();
        byte[] data = lockNode.getBytes(StandardCharsets.UTF_8);
        try {
            curator.transaction().forOperations(curator.transactionOp().check().forPath(lockNode),
                    curator.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(markerPath, data));
        } catch (KeeperException.NoNodeException lockNodeOrOwnersGone) {
            readCzxid(space, lockNode);
            curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(markerPath, data);
        }
    }

    /** Deletes a holder's marker before its lock node goes: guaranteed (retried in the background on failure). */
    static void unmark(ZkSpace space, String objectPath, long token) {
        try {
            space.client().delete().guaranteed().forPath(markerPath(objectPath, token));
        } catch (KeeperException.NoNodeException gone) {
            // already removed: nothing to do
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // connection trouble: Curator retries the delete in the background (see the class comment)
        }
    }

    /** {@link #unmark} without waiting: a guaranteed delete sent in the background. */
    static void unmarkInBackground(ZkSpace space, String objectPath, long token) {
        deleteInBackground(space, markerPath(objectPath, token));
    }

    /**
     * Deletes {@code path} without waiting: Curator sends it in the background and, while the
     * connection is down, keeps retrying it (a guaranteed delete) until it succeeds or the session
     * ends (then the ephemeral lock node is gone anyway; a marker stays for the next holder to claim).
     */
    static void deleteInBackground(ZkSpace space, String path) {
        deleteInBackground(space.client(), path);
    }

    /** {@link #deleteInBackground(ZkSpace, String)} through {@code client}. */
    static void deleteInBackground(CuratorFramework client, String path) {
        try {
            client.delete().guaranteed().inBackground().forPath(path);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // a background call fails here only if the client is closed: the session then ends, the node with it
        }
    }

    private static String markerPath(String objectPath, long czxid) {
        return objectPath + "/owners/" + Long.toHexString(czxid);
    }
}
