package io.futexra.zookeeper;

import io.futexra.FutexRaException;
import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.NamedSemaphore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;

/**
 * A counting semaphore in a ZooKeeper space, on Curator's {@link InterProcessSemaphoreV2}: each
 * permit held is an ephemeral lease node, so a holder whose session ends returns its permit. The
 * next acquirer to find its marker is told {@link Held#previousOwnerDied()} (see {@link ZkOwners});
 * each {@code Held}'s fencing token is its lease node's czxid (growing with each acquisition, but
 * holders overlap, so it orders acquisitions rather than fencing one holder).
 *
 * <p>Waits are FIFO (Curator queues acquirers on an internal lock). A timed-out or interrupted
 * acquire returns its lease node (Curator deletes it before the call ends), so no permit leaks.
 * Closing a {@code Held} deletes its lease node in the background and never blocks.
 * Thread-owned like shared memory's: only the acquiring thread may close the {@code Held}
 * (process-owned permits: any thread, once).
 */
final class ZkSemaphore implements NamedSemaphore {

    private final ZkSpace space;
    private final String name;
    private final String objectPath;
    private final int permits;
    private final InterProcessSemaphoreV2 semaphore;

    ZkSemaphore(ZkSpace space, String name, String objectPath, int permits) {
        this.space = space;
        this.name = name;
        this.objectPath = objectPath;
        this.permits = permits;
        this.semaphore = space.shared().recipe(objectPath + "/semaphore", InterProcessSemaphoreV2.class,
                p -> new InterProcessSemaphoreV2(space.client(), p, permits));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int permits() {
        return permits;
    }

    @Override
    public int availablePermits() {
        space.checkOpen();
        try {
            return Math.max(0, permits - semaphore.getParticipantNodes().size());
        } catch (Exception e) {
            throw space.failure("count the leases of semaphore '" + name + "'", e);
        }
    }

    @Override
    public Held acquire() {
        return acquire(-1, Thread.currentThread());
    }

    @Override
    public Held acquire(Duration timeout) {
        return acquire(ZkWaits.nanos(timeout), Thread.currentThread());
    }

    /** Like shared memory's: any thread of the process may close it, once; the lease dies with the session. */
    @Override
    public Held acquireForProcess(Duration timeout) {
        return acquire(ZkWaits.nanos(timeout), null);
    }

    @Override
    public Optional<Held> tryAcquire() {
        try {
            return Optional.of(acquire(0, Thread.currentThread()));
        } catch (LockTimeoutException none) {
            return Optional.empty();
        }
    }

    /**
     * Takes a permit for {@code owner} (null: the process), waiting {@code nanos} (negative: for
     * ever). The hold's use of the shared client is taken before waiting, so that another thread
     * closing the last space handle meanwhile cannot close Curator under the waiter; it is given
     * back if no permit comes (timeout, interrupt, failure), else when the hold is closed.
     */
    private Held acquire(long nanos, Thread owner) {
        space.checkOpen();
        ZkClient client = space.shared();
        client.awaitConnected("acquire " + what() + " in space '" + space.name() + "'");
        client.retain();
        try {
            return hold(nanos, owner, client);
        } catch (RuntimeException | Error e) {
            client.release();
            throw e;
        }
    }

    private Held hold(long nanos, Thread owner, ZkClient client) {
        long losses = client.losses();
        Lease lease = lease(nanos);
        String node = lease.getNodeName().startsWith("/") ? lease.getNodeName()
                : objectPath + "/semaphore/leases/" + lease.getNodeName();
        ZkOwners.Claim claim;
        try {
            claim = ZkOwners.claim(space, objectPath, node, true, true);
        } catch (Exception e) {
            ZkOwners.deleteInBackground(space, node);
            throw e instanceof FutexRaException f ? f : ZkWaits.failed(space, what(), e);
        }
        ZkLoss loss = new ZkLoss(client, node, losses).watch();
        return new ZkHeld(what(), owner, claim.token(),
                claim.previousOwnerDied(), client, loss, () -> {
                    try {
                        loss.end();
                        ZkOwners.unmarkInBackground(space, objectPath, claim.token());
                        ZkOwners.deleteInBackground(space, node); // never blocks, even cut off from the ensemble
                    } finally {
                        client.release();
                    }
                });
    }

    private Lease lease(long nanos) {
        Lease lease;
        try {
            lease = space.shared().bounded("acquire " + what() + " in space '" + space.name() + "'",
                    () -> nanos < 0 ? semaphore.acquire() : semaphore.acquire(nanos, TimeUnit.NANOSECONDS));
        } catch (io.futexra.SpaceUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw ZkWaits.failed(space, what(), e);
        }
        if (lease == null) {
            throw ZkWaits.timedOut(space, what(), nanos);
        }
        return lease;
    }

    private String what() {
        return "a permit of semaphore '" + name + "'";
    }

    @Override
    public String toString() {
        return "ZkSemaphore['" + name + "', " + permits + " permits, in " + space + "]";
    }
}
