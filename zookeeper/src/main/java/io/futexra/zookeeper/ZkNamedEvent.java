package io.futexra.zookeeper;

import io.futexra.EventMode;
import io.futexra.FutexRaException;
import io.futexra.LockInterruptedException;
import io.futexra.NamedEvent;
import io.futexra.ObjectKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * {@link NamedEvent} on one znode, the event's {@code state} node under its registry entry
 * ({@link ZkSpace} draws the space's layout), whose data is two decimal numbers in ASCII:
 *
 * <pre>
 *  "SEQUENCE STATE"   SEQUENCE: signals so far (every signal adds one), 0 .. 2^63-1
 *                     STATE: manual reset: 1 signaled, 0 not; auto reset: pending signals, 0 .. 2^31-1
 * </pre>
 *
 * The node's data is untrusted input: anything else found there is refused with an error that
 * names the node and says how to repair it.
 *
 * <p>Implementation overview (the shared-memory event's protocol, with a znode's version in place
 * of the futex word's value and a watch in place of {@code FUTEX_WAIT}).
 * <ul>
 * <li>Every change is a compare-and-set: read the data and its version, write the new data with
 *     {@code setData().withVersion(v)}; a {@code BadVersion} failure means another client changed
 *     it in between, and the writer reads again. Each signal therefore moves the sequence exactly
 *     once, ensemble-wide.</li>
 * <li>A waiter reads with a data watch set by the same call (ZooKeeper sets the watch atomically
 *     with the read): a signal after the read fires the watch and wakes it ({@link ZkWakeup}), a
 *     signal before the read is what it reads. No wake-up is lost; nothing polls.</li>
 * <li>Manual reset: {@code signal} sets STATE 1 and bumps SEQUENCE; {@code reset} sets STATE 0 and
 *     keeps SEQUENCE. A waiter passes when STATE is 1 <em>or</em> SEQUENCE moved since it started,
 *     so a signal followed at once by a reset still releases everyone who was waiting.</li>
 * <li>Auto reset: {@code signal} adds one pending signal; a waiter passes by taking one away with
 *     a versioned {@code setData}: of all clients that read the same version, exactly one write
 *     succeeds, so each signal releases exactly one waiter or dispatcher ensemble-wide.</li>
 * </ul>
 *
 * <p>Differences from shared memory: a signal costs a ZooKeeper write (a quorum round trip), and a
 * waiter learns of it a round trip later. While the client is disconnected, calls fail (after
 * Curator's retries) with a {@link FutexRaException} that says so; a waiter that is woken by the
 * connection's state change reads again, and its watches survive a reconnection within the session.
 */
final class ZkNamedEvent implements NamedEvent {

    /** The most pending signals an auto-reset event counts (as in shared memory). */
    static final long MAX_PENDING = Integer.MAX_VALUE;

    private final ZkSpace space;
    private final String name;
    private final EventMode mode;
    private final String path;

    /**
     * The event {@code name} of {@code space}, registered (with its state node) if new.
     *
     * @throws IllegalArgumentException if the name is bad, names another kind of object, or an
     *     event of the other mode
     */
    ZkNamedEvent(ZkSpace space, String name, EventMode mode) {
        Objects.requireNonNull(mode, "mode");
        this.space = space;
        this.name = name;
        this.mode = mode;
        String registered = space.register(name, ObjectKind.EVENT, mode.name());
        if (!registered.equals(mode.name())) {
            throw new IllegalArgumentException("event '" + name + "' in space '" + space.name() + "' exists as "
                    + registered + ", not " + mode + ": use the same mode everywhere, or another name");
        }
        this.path = space.objectPath(name) + "/state";
        try {
            space.client().create().withMode(CreateMode.PERSISTENT).forPath(path, encode(0, 0));
        } catch (KeeperException.NodeExistsException exists) {
            // made by another handle or client: its state stands
        } catch (Exception e) {
            throw space.failure("create event '" + name + "'", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventMode mode() {
        return mode;
    }

    ZkSpace space() {
        return space;
    }

    @Override
    public void signal() {
        space.checkOpen();
        State s;
        do {
            s = read(null);
        } while (!s.replaceWith(s.sequence + 1, mode == EventMode.MANUAL_RESET ? 1 : Math.min(s.state + 1, MAX_PENDING)));
    }

    @Override
    public void reset() {
        space.checkOpen();
        State s;
        do {
            s = read(null);
        } while (s.state != 0 && !s.replaceWith(s.sequence, 0));
    }

    @Override
    public boolean isSignaled() {
        space.checkOpen();
        return read(null).state != 0;
    }

    @Override
    public boolean await(Duration timeout) {
        return awaitAny(timeout, this) == 0;
    }

    /** The sequence now: a manual-reset waiter that starts here passes once it moves. */
    long start() {
        return read(null).sequence;
    }

    /** Outcome of a look: pass, do not pass (the watch is set), or look again (a consuming CAS lost). */
    enum Verdict { YES, NO, AGAIN }

    /**
     * Reads the state with {@code watch} set and judges it for a waiter that started at sequence
     * {@code start}; for auto reset, consumes the signal that lets it pass. {@code edge}: a
     * manual-reset event passes only when signaled since {@code start}, not merely while it stays
     * signaled (what a dispatcher needs to deliver each signal once).
     */
    Verdict look(long start, boolean edge, Watcher watch) {
        State s = read(watch);
        if (mode == EventMode.MANUAL_RESET) {
            return s.sequence != start || (!edge && s.state != 0) ? Verdict.YES : Verdict.NO;
        }
        if (s.state == 0) {
            return Verdict.NO;
        }
        return s.replaceWith(s.sequence, s.state - 1) ? Verdict.YES : Verdict.AGAIN; // won the CAS: ours
    }

    /** See {@link NamedEvent#awaitAny}: events of any ZooKeeper spaces, one wakeup for all. */
    static int awaitAny(Duration timeout, NamedEvent... events) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(events, "events");
        if (events.length == 0) {
            throw new IllegalArgumentException("awaitAny needs at least one event");
        }
        ZkNamedEvent[] zk = new ZkNamedEvent[events.length];
        for (int i = 0; i < events.length; i++) {
            if (!(events[i] instanceof ZkNamedEvent)) {
                throw new IllegalArgumentException("event " + i + " (" + events[i] + ") is not a futex-ra ZooKeeper event");
            }
            zk[i] = (ZkNamedEvent) events[i];
            zk[i].space.checkOpen();
        }
        long deadline = System.nanoTime() + Math.min(ZkWaits.nanos(timeout), Long.MAX_VALUE / 4);
        long[] starts = new long[zk.length];
        for (int i = 0; i < zk.length; i++) {
            starts[i] = zk[i].start();
        }
        ZkWakeup wakeup = new ZkWakeup();
        try {
            return awaitAny(zk, starts, deadline, wakeup);
        } finally {
            for (ZkNamedEvent e : zk) {
                e.forget(wakeup);
            }
        }
    }

    private static int awaitAny(ZkNamedEvent[] events, long[] starts, long deadline, ZkWakeup wakeup) {
        while (true) {
            wakeup.drain(); // before the reads that set the watches: a change after them leaves a permit
            boolean again = false;
            for (int i = 0; i < events.length && !again; i++) {
                Verdict v = events[i].look(starts[i], false, wakeup);
                if (v == Verdict.YES) {
                    return i;
                }
                again = v == Verdict.AGAIN; // another client consumed the signal first: look again at once
            }
            if (again) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1; // the last look, just made, found nothing
            }
            wakeup.sleep(left, names(events));
        }
    }

    /**
     * Drops {@code watch}'s registration on this event in this client (no server round trip), also
     * for an interrupted thread, whose interrupt flag it keeps.
     */
    void forget(Watcher watch) {
        boolean interrupted = Thread.interrupted(); // else the client refuses the call
        try {
            space.client().watchers().remove(watch).ofType(Watcher.WatcherType.Data).locally().quietly().forPath(path);
        } catch (Exception e) {
            // nothing registered any more (the watch fired): nothing to drop
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private State read(Watcher watch) {
        CuratorFramework client = space.client();
        Stat stat = new Stat();
        byte[] data;
        try {
            data = watch == null
                    ? client.getData().storingStatIn(stat).forPath(path)
                    : client.getData().storingStatIn(stat).usingWatcher(watch).forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            throw new FutexRaException("event '" + name + "' in space '" + space.name() + "' was removed (its node "
                    + path + " is gone): the space was removed while in use; open it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockInterruptedException("interrupted while reading event '" + name + "' in space '"
                    + space.name() + "'. The interrupt flag is still set.");
        } catch (Exception e) {
            throw space.failure("read event '" + name + "'", e);
        }
        return decode(data, stat.getVersion());
    }

    private State decode(byte[] data, int version) {
        String text = data == null ? "" : new String(data, StandardCharsets.US_ASCII);
        int blank = text.indexOf(' ');
        try {
            long sequence = Long.parseLong(text.substring(0, Math.max(blank, 0)));
            long state = Long.parseLong(text.substring(blank + 1));
            long maxState = mode == EventMode.MANUAL_RESET ? 1 : MAX_PENDING;
            if (sequence >= 0 && state >= 0 && state <= maxState) {
                return new State(sequence, state, version);
            }
        } catch (NumberFormatException e) {
            // refused below, with the rest
        }
        throw new FutexRaException("event '" + name + "' in space '" + space.name() + "': its node " + path
                + " holds '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "', not \"SEQUENCE STATE\""
                + " (STATE 0.." + (mode == EventMode.MANUAL_RESET ? 1 : MAX_PENDING) + "): something other than"
                + " futex-ra wrote it; delete the node (a new handle recreates it, unsignaled)");
    }

    private static byte[] encode(long sequence, long state) {
        return (sequence + " " + state).getBytes(StandardCharsets.US_ASCII);
    }

    /** One read of the state node: its numbers and the version they were read at. */
    private final class State {
        final long sequence;
        final long state;
        final int version;

        State(long sequence, long state, int version) {
            this.sequence = sequence;
            this.state = state;
            this.version = version;
        }

        /** The CAS: writes the new numbers if the node is still at {@code version}; false if it moved. */
        boolean replaceWith(long newSequence, long newState) {
            try {
                space.client().setData().withVersion(version).forPath(path,
                        encode(newSequence & Long.MAX_VALUE, newState));
                return true;
            } catch (KeeperException.BadVersionException moved) {
                return false;
            } catch (KeeperException.NoNodeException gone) {
                return read(null) == null; // read() says why
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockInterruptedException("interrupted while changing event '" + name + "' in space '"
                        + space.name() + "'. The interrupt flag is still set.");
            } catch (Exception e) {
                throw space.failure("change event '" + name + "'", e);
            }
        }
    }

    private static String names(ZkNamedEvent[] events) {
        StringBuilder out = new StringBuilder(events.length == 1 ? "event" : "events");
        for (int i = 0; i < events.length; i++) {
            ZkNamedEvent e = events[i];
            out.append(i == 0 ? " '" : ", '").append(e.name).append("' in space '").append(e.space.name())
                    .append('\'');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "NamedEvent[" + space.name() + "/" + name + ", " + mode + "]";
    }
}
