package io.futexra.zookeeper;

import io.futexra.EventMode;
import io.futexra.LockPolicy;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * {@link io.futexra.LockSpace#objects()} for a ZooKeeper space: the registry's entries in name
 * order, each read from its nodes at a slightly different moment. What ZooKeeper can tell:
 * <ul>
 * <li>locks and write locks: the holder (first node in line; {@code holderPid} is its process id
 *     on its own host, {@code holderTid} its Java thread id, {@code holderThread} its thread name,
 *     for a read/write lock its process only), {@code heldSince} (the node's creation time),
 *     {@code waiters} (nodes behind it), {@code fencingToken} (the holder's; 0 when free);
 * <li>read/write locks: {@code readers} (read nodes ahead of the first write node);
 * <li>semaphores: {@code readers} = leases held, {@code waiters} = acquirers queued;
 * <li>{@code abandoned}: a dead holder's marker is waiting to be claimed (for a plain lock: a
 *     marker that {@link ZkLockLine#verdict} would report to the next holder);
 * <li>locks: {@code policy} {@code FAIR} and {@code spinLimit} 0 whatever options they were created
 *     with: every ZooKeeper lock is FIFO and never spins;
 * <li>a registration that does not parse: listed with no kind ({@link #malformed}); the listing
 *     never fails for one bad entry.
 * </ul>
 * Not kept (always 0): {@code acquisitions}, {@code contendedAcquisitions}, {@code ownerDiedCount},
 * {@code watchers}. Events: the mode, if registered as {@code EVENT MANUAL_RESET} or {@code EVENT AUTO_RESET}
 * ({@code signaled} is not read here).
 */
final class ZkObjects {

    /** Curator's lock and lease nodes end with a 10-digit sequence number. */
    private static final Comparator<String> BY_SEQUENCE = Comparator.comparing(n -> n.substring(Math.max(0, n.length() - 10)));

    private ZkObjects() {
    }

    static List<ObjectInfo> read(ZkSpace space) {
        CuratorFramework curator = space.client();
        String objects = space.path() + "/objects";
        try {
            List<String> names = new ArrayList<>(curator.getChildren().forPath(objects));
            names.sort(Comparator.naturalOrder());
            List<ObjectInfo> infos = new ArrayList<>(names.size());
            for (String node : names) {
                String entry;
                try {
                    entry = new String(curator.getData().forPath(objects + "/" + node), StandardCharsets.UTF_8);
                } catch (KeeperException.NoNodeException removed) {
                    continue;
                }
                String name;
                try {
                    name = ZkNames.decode(node);
                } catch (RuntimeException notEncodedByUs) {
                    name = node;
                }
                try {
                    int space1 = entry.indexOf(' ');
                    ObjectKind kind = ObjectKind.valueOf(space1 < 0 ? entry : entry.substring(0, space1));
                    String options = space1 < 0 ? "" : entry.substring(space1 + 1);
                    infos.add(describe(curator, objects + "/" + node, name, kind, options));
                } catch (IllegalArgumentException | IndexOutOfBoundsException unreadable) {
                    infos.add(malformed(name, entry));
                }
            }
            return infos;
        } catch (Exception e) {
            throw space.failure("list the objects", e);
        }
    }

    /**
     * An object whose registration no futex-ra wrote (its kind, policy, spin limit or permits do
     * not parse: whoever may write the space's znodes wrote it, or it is damaged): listed with no
     * kind, and the registration, escaped (control characters and non-ASCII as {@code \\uXXXX}),
     * in place of a holder thread, so that one bad entry hides nothing else.
     */
    static ObjectInfo malformed(String name, String entry) {
        return new ObjectInfo(name, null, 0, 0, "malformed registration: '" + escaped(entry) + "'", null, 0, 0, 0, 0, 0,
                0, false, null, 0, 0, 0, false, null);
    }

    /** {@code text} with every character outside printable ASCII as {@code \\uXXXX}, at most 200 characters of it. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        String shown = text.length() > 200 ? text.substring(0, 200) : text;
        for (char c : shown.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() > 200 ? out.append("...").toString() : out.toString();
    }

    private static ObjectInfo describe(CuratorFramework curator, String path, String name, ObjectKind kind,
                                       String options) throws Exception {
        switch (kind) {
            case LOCK -> {
                List<String> all = children(curator, path + "/lock");
                List<String> line = ZkLockLine.lockNodes(all);
                boolean abandoned = hasDeadMarkerInLine(curator, path + "/lock", all, line);
                LockPolicy.valueOf(options.substring(0, options.indexOf(' '))); // a registration of ours
                Integer.parseInt(options.substring(options.indexOf('=') + 1));
                // recorded for agreement only: every ZooKeeper lock is FIFO (FAIR) and never spins
                return holding(curator, name, kind, path + "/lock", line, Math.max(0, line.size() - 1), 0, 0,
                        abandoned, LockPolicy.FAIR, 0);
            }
            case READ_WRITE_LOCK -> {
                boolean abandoned = hasDeadMarker(curator, path);
                List<String> line = children(curator, path + "/rw");
                int readers = 0;
                while (readers < line.size() && line.get(readers).contains("__READ__")) {
                    readers++;
                }
                boolean writerFirst = readers == 0 && !line.isEmpty();
                return holding(curator, name, kind, path + "/rw", writerFirst ? line : List.of(),
                        line.size() - readers - (writerFirst ? 1 : 0), readers, 0, abandoned, null, 0);
            }
            case SEMAPHORE -> {
                Integer.parseInt(options); // a registration of ours
                boolean abandoned = hasDeadMarker(curator, path);
                int leases = children(curator, path + "/semaphore/leases").size();
                int queued = children(curator, path + "/semaphore/locks").size();
                return new ObjectInfo(name, kind, 0, 0, null, null, queued, 0, 0, 0, 0, 0, abandoned, null, 0, leases,
                        Integer.parseInt(options), false, null);
            }
            default -> {
                EventMode mode = EventMode.MANUAL_RESET.name().equals(options) ? EventMode.MANUAL_RESET
                        : EventMode.AUTO_RESET.name().equals(options) ? EventMode.AUTO_RESET : null;
                return new ObjectInfo(name, kind, 0, 0, null, null, 0, 0, 0, 0, 0, 0, false, null, 0, 0, 0, false, mode);
            }
        }
    }

    /** An object whose first node in {@code line} (if any) is its exclusive holder. */
    private static ObjectInfo holding(CuratorFramework curator, String name, ObjectKind kind, String dir,
                                      List<String> line, int waiters, int readers, int permits, boolean abandoned,
                                      LockPolicy policy, int spin) throws Exception {
        if (line.isEmpty()) {
            return new ObjectInfo(name, kind, 0, 0, null, null, waiters, 0, 0, 0, 0, 0, abandoned, policy, spin,
                    readers, permits, false, null);
        }
        Stat stat = new Stat();
        byte[] data;
        try {
            data = curator.getData().storingStatIn(stat).forPath(dir + "/" + line.get(0));
        } catch (KeeperException.NoNodeException releasedMeanwhile) {
            return new ObjectInfo(name, kind, 0, 0, null, null, waiters, 0, 0, 0, 0, 0, abandoned, policy, spin,
                    readers, permits, false, null);
        }
        ZkHolder holder = ZkHolder.parse(new String(data, StandardCharsets.UTF_8));
        long pid = holder == null ? 0 : holder.pid();
        long tid = holder == null ? 0 : holder.tid();
        return new ObjectInfo(name, kind, (int) pid, tid == 0 ? -1 : (int) tid, holder == null ? null : holder.thread(),
                Instant.ofEpochMilli(stat.getCtime()), waiters, 0, 0, 0, 0, stat.getCzxid(), abandoned, policy, spin,
                readers, permits, false, null);
    }

    private static List<String> children(CuratorFramework curator, String dir) throws Exception {
        try {
            List<String> nodes = new ArrayList<>(curator.getChildren().forPath(dir));
            nodes.sort(BY_SEQUENCE);
            return nodes;
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    /** Whether the line of a plain lock has a marker that its next holder will claim as a death ({@link ZkLockLine}). */
    private static boolean hasDeadMarkerInLine(CuratorFramework curator, String dir, List<String> children,
                                               List<String> line) throws Exception {
        for (String orphan : ZkLockLine.orphans(children)) {
            if (ZkLockLine.verdict(curator, dir, orphan, line.isEmpty() ? null : line.get(0), 0)
                    == ZkLockLine.Verdict.HOLDER) {
                return true;
            }
        }
        return false;
    }

    /** Whether a marker under {@code owners} names a lock node that is gone ({@link ZkOwners}). */
    private static boolean hasDeadMarker(CuratorFramework curator, String path) throws Exception {
        for (String marker : children(curator, path + "/owners")) {
            try {
                String holderNode = new String(curator.getData().forPath(path + "/owners/" + marker),
                        StandardCharsets.UTF_8);
                if (curator.checkExists().forPath(holderNode) == null) {
                    return true;
                }
            } catch (KeeperException.NoNodeException claimed) {
                // claimed meanwhile
            }
        }
        return false;
    }
}
