package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.PredicateResults;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * One acquisition of a plain lock (a new instance each time): Curator's {@link InterProcessMutex}
 * lock loop, with a driver that keeps the lock's line as {@link ZkLockLine} draws it — lock node
 * and owner-death marker created in one multi, markers left out of the order, dead acquisitions'
 * markers seen in the listings Curator makes anyway. Round trips of an uncontended acquire +
 * release: the enqueue multi, Curator's {@code getChildren}, the release multi (sent in the
 * background) — those of raw Curator (create, {@code getChildren}, delete).
 *
 * <p>While waiting, each listing's orphans are judged once ({@link ZkLockLine#verdict}); dead
 * waiters' markers are deleted at once. On getting the lock, {@link #claimDeaths} claims the
 * orphans of the winning listing. A timeout (including {@code tryAcquire}'s zero) is decided by the
 * driver, at the listing after the deadline: it deletes marker and lock node in one multi and
 * ends Curator's loop (Curator's own delete of the node then finds nothing). The exceptions, where
 * Curator deletes the lock node and then {@link #acquire} deletes the marker: an interrupt, an
 * error, and a deadline that passes during Curator's watch read of the node ahead (Curator checks
 * it there, after the driver did).
 */
final class ZkMutex extends InterProcessMutex {

    private final Line line;

    ZkMutex(CuratorFramework client, String dir, List<ACL> acl) {
        this(client, new Line(dir, acl));
    }

    private ZkMutex(CuratorFramework client, Line line) {
        super(client, line.dir, line);
        this.line = line;
    }

    /** The calling thread's lock node, or null if it holds none through this instance. */
    String lockNode() {
        return getLockPath();
    }

    @Override
    public void acquire() throws Exception {
        line.deadline = 0;
        line.timed = false;
        try {
            super.acquire();
        } catch (Exception e) {
            line.abandon();
            throw e;
        }
    }

    /** Waits at most {@code time}; false if the driver gave up at its deadline. */
    @Override
    public boolean acquire(long time, TimeUnit unit) throws Exception {
        long nanos = unit.toNanos(time);
        line.timed = nanos < Long.MAX_VALUE / 4;
        line.deadline = System.nanoTime() + (line.timed ? nanos : 0);
        try {
            if (super.acquire(time, unit)) {
                return true;
            }
        } catch (GaveUp timedOut) {
            return false; // marker and lock node deleted together
        } catch (Exception e) {
            line.abandon();
            throw e;
        }
        line.abandon(); // Curator's own deadline came first and deleted the lock node
        return false;
    }

    /**
     * The fencing token (the lock node's czxid) and whether a dead holder's marker was claimed:
     * called once, by the thread that just acquired.
     *
     * @throws FutexRaException if the lock node is already gone (the session was lost meanwhile)
     */
    ZkOwners.Claim claimDeaths(ZkSpace space) throws Exception {
        CuratorFramework client = space.client();
        String node = lockNode();
        long token = line.czxid;
        if (token == 0) { // a re-sent multi, or a server that does not return the stat
            Stat stat = client.checkExists().forPath(node);
            if (stat == null) {
                throw ZkOwners.sessionLost(space, node);
            }
            token = stat.getCzxid();
        }
        String ours = node.substring(node.lastIndexOf('/') + 1);
        boolean died = false;
        for (String orphan : line.orphansAtAcquire) {
            ZkLockLine.Verdict verdict = ZkLockLine.verdict(client, line.dir, orphan, ours, 0);
            if (verdict == ZkLockLine.Verdict.GONE) {
                continue;
            }
            try {
                client.delete().forPath(line.dir + "/" + orphan);
                died |= verdict == ZkLockLine.Verdict.HOLDER; // our delete won: this death is reported to us alone
            } catch (KeeperException.NoNodeException claimedByAnother) {
                // a waiter removed it as a dead waiter's, or another acquirer claimed it
            }
        }
        return new ZkOwners.Claim(token, died);
    }

    /** Thrown by the driver to end Curator's loop at the deadline, after deleting marker and node. */
    private static final class GaveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GaveUp() {
            super("timed out", null, false, false);
        }
    }

    /**
     * The driver: creates the pair, orders lock nodes without markers, judges orphans, and gives
     * up at the deadline. Used by the acquiring thread only.
     */
    private static final class Line extends StandardLockInternalsDriver {

        final String dir;
        private final List<ACL> acl;
        /** Orphans already judged (not judged again on the next wake-up). */
        private final Set<String> judged = new HashSet<>();
        private CuratorFramework client;
        /** This attempt's ID, until its pair is deleted; null before the first create and after giving up. */
        private String id;
        /** This attempt's lock node, once the create returned it. */
        private String node;
        long czxid;
        List<String> orphansAtAcquire = List.of();
        boolean timed;
        long deadline;

        Line(String dir, List<ACL> acl) {
            this.dir = dir;
            this.acl = acl;
        }

        @Override
        public String createsTheLock(CuratorFramework client, String path, byte[] lockNodeBytes) throws Exception {
            this.client = client;
            if (id != null) {
                abandon(); // Curator creates again: our earlier node died with a lost session; its marker goes too
            }
            node = null;
            id = UUID.randomUUID().toString();
            long[] created = new long[1];
            node = ZkLockLine.enqueue(client, dir, id, ZkHolder.current().getBytes(StandardCharsets.UTF_8), acl,
                    created);
            czxid = created[0];
            return node;
        }

        @Override
        public PredicateResults getsTheLock(CuratorFramework client, List<String> children, String sequenceNodeName,
                                            int maxLeases) throws Exception {
            List<String> line = ZkLockLine.lockNodes(children);
            int ours = line.indexOf(sequenceNodeName);
            if (ours < 0) {
                throw new KeeperException.NoNodeException("lock node " + sequenceNodeName + " is gone (session lost)");
            }
            List<String> orphans = ZkLockLine.orphans(children);
            orphans.removeAll(judged);
            if (ours == 0) {
                orphansAtAcquire = orphans;
                return new PredicateResults(null, true);
            }
            if (timed && System.nanoTime() - deadline >= 0) {
                ZkLockLine.releaseInBackground(client, node);
                id = null;
                throw new GaveUp();
            }
            for (String orphan : orphans) {
                judged.add(orphan);
                if (ZkLockLine.verdict(client, dir, orphan, line.get(0), 0) == ZkLockLine.Verdict.WAITER) {
                    try {
                        client.delete().forPath(dir + "/" + orphan); // a dead waiter: nobody is told
                    } catch (KeeperException.NoNodeException removedMeanwhile) {
                        // another acquirer judged it too
                    }
                }
            }
            return new PredicateResults(line.get(ours - 1), false);
        }

        /**
         * Deletes this attempt's marker and lock node in the background (the node may be gone
         * already: Curator deletes it on an interrupt). If the create failed before naming the
         * node (an interrupt while it was in flight), the node is looked for by ID.
         */
        void abandon() {
            if (id != null && client != null) {
                if (node != null) {
                    ZkLockLine.releaseInBackground(client, node);
                } else {
                    ZkLockLine.abandonInBackground(client, dir, id);
                }
            }
            id = null;
            node = null;
        }
    }
}
