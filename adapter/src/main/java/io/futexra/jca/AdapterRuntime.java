package io.futexra.jca;

import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.jmx.LockSpaceMonitor;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one deployment of the adapter owns: its open spaces, every acquisition made through
 * it and not yet released, and every thread waiting inside it — so that {@link #stop()} can wake
 * the waiters, release the acquisitions and close the spaces.
 *
 * <p>Implementation overview. Every acquisition not yet released is in one of two places.
 * Exclusive ones (locks, write locks) are process-owned, so at most one exists per object in this
 * process: it is in the object's {@link ExclusiveSlot}, which a handle finds once in
 * {@code exclusive} ("space/kind:name" to slot) and which gives the same-thread check
 * ({@code FUTEXRA032}) and {@code isHeldByCurrentThread} without a scan. The others (read holds,
 * permits) are in {@code shared}. The adapter's fast path, an exclusive acquisition and its
 * release, makes no map operation: a slot read and write in, a slot read and ordered write out,
 * one CAS and one write to enter and leave {@link Waiters}, and the hold's close-once CAS; the
 * connection finds its exclusive holds in its handles' slots (see {@link LockConnectionImpl}). Stop sets {@code stopped} before it interrupts waiters
 * and releases holds; a thread that acquires concurrently registers its hold and then re-checks
 * {@code stopped}, releasing what it just got, so nothing acquired during stop outlives it. A
 * waiter woken by stop has its interrupt flag cleared (the interrupt was ours, not the
 * application's) and gets {@code FUTEXRA031}.
 */
final class AdapterRuntime {

    private volatile TransactionSynchronizationRegistry transactions;
    private final Map<String, LockSpace> spaces = new ConcurrentHashMap<>();
    /** The creation options of each space a connection definition names, for MDBs that open it first. */
    private final Map<String, SpaceOptions> definitions = new ConcurrentHashMap<>();
    /** Each open space's MXBean ({@code io.futexra:type=LockSpace,name=SPACE}), for operators. */
    private final Map<String, LockSpaceMonitor> monitors = new ConcurrentHashMap<>();
    /** Each exclusive object's slot, made on first use and kept. */
    private final Map<String, ExclusiveSlot> exclusive = new ConcurrentHashMap<>();
    private final Set<TrackedHold> shared = ConcurrentHashMap.newKeySet();
    private final Waiters waiters = new Waiters();
    private volatile boolean stopped;

    /** @param transactions the server's registry, or {@code null} outside a server (or until started) */
    AdapterRuntime(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** The server's registry, known once the adapter starts (the server binds factories before that). */
    void useTransactions(TransactionSynchronizationRegistry registry) {
        this.transactions = registry;
    }

    TransactionSynchronizationRegistry transactions() {
        return transactions;
    }

    /** The space of {@code config}, opened on first use and shared by definitions naming the same file. */
    LockSpace space(SpaceConfig config) {
        checkRunning();
        definitions.putIfAbsent(config.key(), config.options());
        return spaces.computeIfAbsent(config.key(), k -> {
            config.checkDirectory();
            LockSpace s;
            try {
                s = LockSpace.open(config.uri(), config.options());
            } catch (RuntimeException e) {
                throw config.explain(e);
            }
            String mode = "shm".equals(config.uri().getScheme()) // a file mode means something only for a file
                    ? "file mode " + java.nio.file.attribute.PosixFilePermissions.toString(config.options().fileMode()) + ", "
                    : "";
            JcaLog.info("FUTEXRA003", "opened lock space " + config.describe() + " (" + mode + "default policy "
                    + config.policy() + ")");
            publish(k, s);
            return s;
        });
    }

    /**
     * How the space {@code space} is created if an MDB activation opens it before any connection
     * definition does: as the definition naming that space says (its {@code fileMode} and
     * {@code capacity}), else with the defaults.
     */
    SpaceOptions optionsFor(URI space) {
        return definitions.getOrDefault(space.toString(), SpaceOptions.defaults());
    }

    /** Registers the space's MXBean; a second space of the same name (another directory) is logged, not published. */
    private void publish(String key, LockSpace space) {
        try {
            LockSpaceMonitor monitor = LockSpaceMonitor.register(space);
            monitors.put(key, monitor);
            JcaLog.info("FUTEXRA006", "published lock space '" + space.name() + "' over JMX as " + monitor.objectName());
        } catch (FutexRaException taken) {
            JcaLog.warn("FUTEXRA007", "lock space '" + space.name() + "' is not published over JMX: " + taken.getMessage());
        }
    }

    /** How to acquire one object on behalf of the process, waiting at most the timeout. */
    interface Acquisition {
        Held acquire(Duration timeout);
    }

    /** The slot of the exclusive object {@code key} ("space/kind:name"), for a handle to keep. */
    ExclusiveSlot exclusiveSlot(String key) {
        return exclusive.computeIfAbsent(key, k -> new ExclusiveSlot());
    }

    /**
     * Acquires through {@code how}, waiting at most {@code timeout}, as a waiter stop can wake, and
     * tracks the result until released.
     *
     * @param what how warnings name it ("lock 'x'")
     * @param slot the object's slot if at most one such acquisition can exist in this process
     *     (locks, write locks): then a second attempt on the thread that holds it is refused
     *     ({@code FUTEXRA032}); {@code null} for shared objects
     * @param connection the connection it is made through, or {@code null} for a transaction-scoped hold
     * @throws IllegalStateException if the calling thread already holds it exclusively through the adapter
     */
    TrackedHold acquire(String spaceName, String what, ExclusiveSlot slot, Acquisition how, Duration timeout,
                        LockConnectionImpl connection) {
        Thread me = Thread.currentThread();
        if (slot != null) {
            TrackedHold mine = slot.current();
            if (mine != null && mine.acquiredBy() == me) {
                throw new IllegalStateException("FUTEXRA032: this thread already holds " + what + " in space '"
                        + spaceName + "' through a futex-ra connection (" + mine.describe() + "). Acquisitions through a"
                        + " connection belong to the server process and are not reentrant: reuse the Held you have, or"
                        + " release it first.");
            }
        }
        int entered = waiters.enter(me);
        Held h;
        try {
            checkRunning();
            h = how.acquire(timeout);
        } catch (LockInterruptedException e) {
            if (stopped) {
                Thread.interrupted(); // our interrupt, not the application's
                throw stoppedWhileWaiting(what, spaceName, e);
            }
            throw e;
        } finally {
            waiters.leave(me, entered);
        }
        TrackedHold t = new TrackedHold(this, h, slot, connection, spaceName, what);
        if (slot != null) {
            slot.set(t);
        } else {
            shared.add(t);
        }
        if (stopped) { // stop ran meanwhile and may have missed it
            t.release();
            Thread.interrupted();
            throw stoppedWhileWaiting(what, spaceName, null);
        }
        return t;
    }

    /** Runs a wait that takes nothing (an event's await) as a waiter stop can wake. */
    boolean await(String spaceName, String what, java.util.function.BooleanSupplier wait) {
        Thread me = Thread.currentThread();
        int entered = waiters.enter(me);
        try {
            checkRunning();
            return wait.getAsBoolean();
        } catch (LockInterruptedException e) {
            if (stopped) {
                Thread.interrupted(); // our interrupt, not the application's
                throw stoppedWhileWaiting(what, spaceName, e);
            }
            throw e;
        } finally {
            waiters.leave(me, entered);
        }
    }

    /**
     * The shared holds (read holds, permits) made through {@code connection} and not yet released:
     * a scan, made only by a connection that closes with shared holds left.
     */
    List<TrackedHold> sharedHeldThrough(LockConnectionImpl connection) {
        List<TrackedHold> found = new ArrayList<>();
        for (TrackedHold t : shared) {
            if (t.connection() == connection && !t.isReleased()) {
                found.add(t);
            }
        }
        return found;
    }

    void forget(TrackedHold hold) {
        ExclusiveSlot slot = hold.slot();
        if (slot != null) {
            slot.clear(hold);
        } else {
            shared.remove(hold);
        }
    }

    boolean isStopped() {
        return stopped;
    }

    void checkRunning() {
        if (stopped) {
            throw new IllegalStateException("FUTEXRA031: the futex-ra resource adapter has been stopped (undeployed or"
                    + " the server is shutting down); get a new LockFactory after it is deployed again.");
        }
    }

    /**
     * Wakes every waiter, releases every acquisition still held (logging each), closes the spaces.
     * Idempotent.
     */
    void stop() {
        stopped = true;
        int woken = 0;
        for (Thread waiter : waiters.now()) {
            JcaLog.warn("FUTEXRA013", "adapter stop wakes thread '" + waiter.getName() + "' waiting inside the adapter");
            waiter.interrupt();
            woken++;
        }
        int released = 0;
        List<TrackedHold> all = new ArrayList<>(shared);
        for (ExclusiveSlot slot : exclusive.values()) {
            TrackedHold t = slot.current();
            if (t != null) {
                all.add(t);
            }
        }
        for (TrackedHold t : all) {
            String what = t.describe();
            try {
                if (t.release()) {
                    released++;
                    JcaLog.warn("FUTEXRA012", "adapter stop released " + what);
                }
            } catch (RuntimeException e) {
                JcaLog.severe("FUTEXRA021", "could not release " + what, e);
            }
        }
        for (LockSpaceMonitor m : monitors.values()) {
            m.close();
        }
        monitors.clear();
        for (LockSpace s : spaces.values()) {
            s.close();
        }
        spaces.clear();
        JcaLog.info("FUTEXRA002", "futex-ra adapter stopped: released " + released + " held lock(s), woke " + woken
                + " waiting thread(s)");
    }

    private static FutexRaException stoppedWhileWaiting(String what, String space, RuntimeException cause) {
        String message = "FUTEXRA031: the futex-ra resource adapter stopped while this thread waited for " + what
                + " in space '" + space + "'; nothing is held. Retry after the adapter is deployed again.";
        return cause == null ? new FutexRaException(message) : new FutexRaException(message, cause);
    }
}
