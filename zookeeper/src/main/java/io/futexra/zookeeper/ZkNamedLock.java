package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockTimeoutException;
import io.futexra.NamedLock;
import io.futexra.NamedLockView;
import io.futexra.SpaceUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;

/**
 * A lock in a ZooKeeper space — a plain lock, or one side of a read/write lock — on a Curator
 * {@link InterProcessMutex}: each acquirer creates an ephemeral sequential node and holds the
 * lock when its node is first in line (the read side: when no write node is ahead of it).
 *
 * <p><b>Thread-owned</b> acquisitions: the process keeps, per object and thread, the outermost
 * acquisition (its lock node, fencing token and depth), shared by every space handle; re-entries
 * count it up and return its token. A plain lock's outermost acquisition uses a recipe instance of
 * its own ({@link ZkMutex}) and is released by deleting its marker and lock node in one multi
 * sent in the background ({@link ZkLockLine}), so a release never blocks. A read/write lock's
 * sides go through the process's one {@code InterProcessReadWriteLock} (Curator grants the read
 * side to the writer's own thread only through the same instance), and are released through it:
 * such a release does not wait for the reply either ({@link ZkDowngrade}). <b>Process-owned</b> acquisitions ({@link #acquireForProcess})
 * use a fresh recipe instance each, so they queue like another process would, and are released
 * by deleting their node in the background from whichever thread closes them.
 *
 * <p><b>Order.</b> Curator's lock is FIFO by node sequence for every {@link io.futexra.LockPolicy}
 * (nobody barges); a read/write lock serves readers and writers in arrival order (a writer waits
 * for the readers ahead of it, later readers wait for it).
 *
 * <p><b>Waiting and failure.</b> A timeout ({@link LockTimeoutException}) or an interrupt
 * ({@link LockInterruptedException}, the flag left set) ends the wait with this acquirer's node
 * (and, for a plain lock, its marker) deleted (in the background if the connection is down at that
 * moment: guaranteed deletes), so nothing is left queued. Every acquire talks to the ensemble,
 * so an interrupt flag already set on entry ends it too, unlike shared memory (where the flag is
 * looked at only when the thread has to wait). With no server answering, an acquire fails with
 * {@link io.futexra.SpaceUnavailableException} within the connection timeout of the connection
 * going down ({@link ZkClient#awaitConnected}, {@link ZkClient#bounded}). A release that cannot
 * reach the ensemble returns normally, at once: Curator keeps retrying the delete in the background, and if the session expires first the ephemeral node goes with it;
 * either way the next holder gets the lock, and may be told {@code previousOwnerDied} (see
 * {@link ZkLockLine} and {@link ZkOwners}). The process's client is retained (kept open) from
 * before the wait until the hold is released, so a space handle closed by another thread
 * meanwhile never closes Curator under a waiter. If this thread acquired the same lock again
 * before its old node's delete went through, it waits behind its own old node until it does.
 */
final class ZkNamedLock implements NamedLock {

    /**
     * How one kind of lock reaches its Curator recipe.
     *
     * @param what "lock 'x'", "read lock 'x'", for messages
     * @param objectPath the object's znode (markers live under it)
     * @param shared the process's instance, for recipes whose thread-owned holds must share one
     *     (read/write locks); null: each outermost thread-owned hold uses a fresh instance
     * @param fresh a new instance, for one process-owned acquisition
     * @param lockNode the calling thread's lock node in an instance
     * @param exclusive whether holders exclude each other (writers, plain locks) and claim dead holders' markers
     * @param wouldDeadlock true when the calling thread may not wait (holds the read side and asks for the write side)
     * @param downgrade a read/write lock's downgrade guard, null for a plain lock
     */
    record Recipe(String what, String objectPath, Supplier<InterProcessMutex> shared,
                  Supplier<InterProcessMutex> fresh, Function<InterProcessMutex, String> lockNode, boolean exclusive,
                  BooleanSupplier wouldDeadlock, ZkDowngrade downgrade) {
    }

    /** The process's thread-owned acquisitions of one object: one entry per holding thread. */
    static final class Reentry {
        final Map<Thread, Outer> byThread = new ConcurrentHashMap<>();
    }

    /** A thread's outermost acquisition: its recipe instance and node, its token, what it found, how deep it is entered. */
    static final class Outer {
        final InterProcessMutex mutex;
        final String node;
        final ZkOwners.Claim claim;
        final ZkLoss loss;
        /** Touched by the owning thread only. */
        int depth = 1;

        Outer(InterProcessMutex mutex, String node, ZkOwners.Claim claim, ZkLoss loss) {
            this.mutex = mutex;
            this.node = node;
            this.claim = claim;
            this.loss = loss;
        }
    }

    private final ZkSpace space;
    private final String name;
    private final Recipe recipe;
    private final Reentry reentry;
    private final Lock view = new NamedLockView(this);

    ZkNamedLock(ZkSpace space, String name, Recipe recipe) {
        this.space = space;
        this.name = name;
        this.recipe = recipe;
        this.reentry = space.shared().recipe(recipe.objectPath() + " " + recipe.exclusive(), Reentry.class,
                k -> new Reentry());
    }

    @Override
    public String name() {
        return name;
    }

    /** The space it lives in (for {@link ZkDispatcher#watchOwnerDeath}). */
    ZkSpace space() {
        return space;
    }

    /** Its object's znode, under which its holders' markers live (for {@link ZkDispatcher#watchOwnerDeath}). */
    String objectPath() {
        return recipe.objectPath();
    }

    /**
     * Whether its markers live in line, beside the lock nodes ({@link ZkLockLine}: plain locks,
     * whose recipe has no shared instance), rather than under {@code owners} ({@link ZkOwners}:
     * the write side of a read/write lock).
     */
    boolean marksInLine() {
        return recipe.shared() == null;
    }

    @Override
    public Held acquire() {
        return acquire(-1);
    }

    @Override
    public Held acquire(Duration timeout) {
        return acquire(ZkWaits.nanos(timeout));
    }

    @Override
    public Optional<Held> tryAcquire() {
        try {
            return Optional.of(acquire(0));
        } catch (LockTimeoutException busy) {
            return Optional.empty();
        }
    }

    @Override
    public Held acquireForProcess(Duration timeout) {
        space.checkOpen();
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException(recipe.what() + " is held by the calling thread: a process-owned"
                    + " acquisition would wait for it for ever; release it first");
        }
        InterProcessMutex mutex = recipe.fresh().get();
        ZkClient client = space.shared();
        client.awaitConnected("acquire " + recipe.what() + " in space '" + space.name() + "'");
        long losses = client.losses();
        client.retain(); // before waiting: a handle closed meanwhile by another thread must not close the client under us
        ZkOwners.Claim claim;
        String node;
        try {
            wait(mutex, ZkWaits.nanos(timeout));
            node = recipe.lockNode().apply(mutex);
            claim = claimOrRelease(mutex, node);
        } catch (RuntimeException e) {
            client.release();
            throw e;
        }
        ZkLoss loss = new ZkLoss(client, node, losses).watch();
        return new ZkHeld(recipe.what(), null, claim.token(), claim.previousOwnerDied(), client, loss, () -> {
            try {
                loss.end();
                deleteInBackground(claim, node);
            } finally {
                client.release();
            }
        });
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return reentry.byThread.containsKey(Thread.currentThread());
    }

    @Override
    public Lock asLock() {
        return view;
    }

    /** Acquires on the calling thread, waiting {@code nanos} (negative: for ever). */
    private Held acquire(long nanos) {
        space.checkOpen();
        Thread me = Thread.currentThread();
        Outer outer = reentry.byThread.get(me);
        if (outer != null) {
            if (recipe.shared() != null) {
                wait(outer.mutex, nanos); // Curator counts the re-entry without a round trip
            }
            outer.depth++;
            return held(outer);
        }
        if (recipe.wouldDeadlock().getAsBoolean()) {
            throw new IllegalStateException(recipe.what() + ": the calling thread holds the read lock; upgrading would"
                    + " deadlock. Release the read lock first, then acquire the write lock");
        }
        InterProcessMutex mutex = recipe.shared() != null ? recipe.shared().get() : recipe.fresh().get();
        ZkClient client = space.shared();
        client.awaitConnected("acquire " + recipe.what() + " in space '" + space.name() + "'");
        long losses = client.losses();
        client.retain(); // before waiting: a handle closed meanwhile by another thread must not close the client under us
        try {
            wait(mutex, nanos);
            String node = recipe.lockNode().apply(mutex);
            ZkOwners.Claim claim = claimOrRelease(mutex, node);
            outer = new Outer(mutex, node, claim, new ZkLoss(client, node, losses).watch());
        } catch (RuntimeException e) {
            client.release();
            throw e;
        }
        reentry.byThread.put(me, outer);
        return held(outer);
    }

    private Held held(Outer outer) {
        Thread me = Thread.currentThread();
        return new ZkHeld(recipe.what(), me, outer.claim.token(), outer.claim.previousOwnerDied(), space.shared(),
                outer.loss, () -> releaseOne(outer, me));
    }

    /** One level of a thread-owned hold; the last one removes the marker, then the lock node. */
    private void releaseOne(Outer outer, Thread me) {
        boolean shared = recipe.shared() != null;
        if (--outer.depth > 0) {
            if (shared) {
                releaseQuietly(outer.mutex); // Curator counts the level down; the node stays
            }
            return;
        }
        reentry.byThread.remove(me, outer);
        outer.loss.end();
        Runnable letGo = () -> {
            try {
                if (shared) {
                    if (recipe.exclusive()) {
                        ZkOwners.unmarkInBackground(space, recipe.objectPath(), outer.claim.token());
                    }
                    releaseQuietly(outer.mutex);
                } else {
                    deleteInBackground(outer.claim, outer.node);
                }
            } finally {
                space.shared().release();
            }
        };
        if (recipe.downgrade() == null) {
            letGo.run();
        } else {
            recipe.downgrade().lastRelease(recipe.exclusive(), letGo);
        }
    }

    private static void releaseQuietly(InterProcessMutex mutex) {
        try {
            mutex.release();
        } catch (IllegalMonitorStateException e) {
            throw e;
        } catch (Exception e) {
            // the delete could not reach the ensemble: Curator retries it in the background (class comment)
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Removes the marker (if any), then the lock node, without waiting: in one multi for a plain
     * lock, else as two deletes (ZooKeeper applies a session's requests in order).
     */
    private void deleteInBackground(ZkOwners.Claim claim, String node) {
        if (marksInLine()) {
            ZkLockLine.releaseInBackground(space.client(), node);
            return;
        }
        if (recipe.exclusive()) {
            ZkOwners.unmarkInBackground(space, recipe.objectPath(), claim.token());
        }
        ZkOwners.deleteInBackground(space, node);
    }

    /** Waits for {@code mutex}; maps Curator's ways of failing to ours. */
    private void wait(InterProcessMutex mutex, long nanos) {
        boolean got;
        try {
            got = space.shared().bounded("acquire " + recipe.what() + " in space '" + space.name() + "'", () -> {
                if (nanos < 0) {
                    mutex.acquire();
                    return true;
                }
                return mutex.acquire(nanos, TimeUnit.NANOSECONDS);
            });
        } catch (SpaceUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw ZkWaits.failed(space, recipe.what(), e);
        }
        if (!got) {
            throw ZkWaits.timedOut(space, recipe.what(), nanos);
        }
    }

    /** Takes the new hold's token and claims its markers; on failure lets the lock go again. */
    private ZkOwners.Claim claimOrRelease(InterProcessMutex mutex, String node) {
        try {
            if (mutex instanceof ZkMutex inLine) {
                return inLine.claimDeaths(space);
            }
            return ZkOwners.claim(space, recipe.objectPath(), node, recipe.exclusive(), recipe.exclusive());
        } catch (Exception e) {
            if (marksInLine()) {
                ZkLockLine.releaseInBackground(space.client(), node);
            } else {
                ZkOwners.deleteInBackground(space, node);
            }
            throw e instanceof FutexRaException f ? f : ZkWaits.failed(space, recipe.what(), e);
        }
    }

    @Override
    public String toString() {
        return "ZkNamedLock[" + recipe.what() + " in " + space + "]";
    }
}
