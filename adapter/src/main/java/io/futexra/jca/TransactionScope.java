package io.futexra.jca;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks held until a JTA transaction ends: the replacement for {@code SELECT … FOR UPDATE}.
 *
 * <p>Implementation overview. The lock is acquired process-owned (its release may run on any
 * thread) and registered with the server's {@link TransactionSynchronizationRegistry} as an
 * <em>interposed</em> synchronization, whose {@code afterCompletion} releases it whatever the
 * outcome — commit, rollback, or the transaction reaper's timeout rollback on its own thread.
 * Interposed synchronizations run after ordinary ones (JPA flushes, for example), so the lock
 * covers the whole commit. The transaction's resource map ({@code putResource}, keyed by the
 * adapter's runtime so two deployments never mix) remembers what it already holds: acquiring
 * the same lock again in the same transaction returns at once, as a row lock would.
 *
 * <p>If registering fails (the transaction was marked for rollback or ended meanwhile) the lock is
 * released at once and the error passed on: a lock is never held without a synchronization that
 * will release it.
 *
 * <p><b>A lock lost before commit rolls the transaction back.</b> The synchronization asks to be
 * told of the hold's loss ({@link io.futexra.Held#onLost}: ZooKeeper — its node deleted, its
 * session expired or the server paused past it). Its {@code beforeCompletion}, which runs on the
 * committing thread with the transaction still active, marks the transaction rollback-only if the
 * loss was told, or if the hold is not known to be held at that moment ({@link io.futexra.Held#isHeld()}
 * false: for ZooKeeper also while its connection is suspended). The commit then rolls back: work
 * done without the lock is never committed. (The loss action itself runs on a backend thread, which
 * has no transaction to mark, so it only records the loss.)
 */
final class TransactionScope {

    private TransactionScope() {
    }

    /** @param slot the object's slot if it is exclusive, else null (see {@link AdapterRuntime#acquire}) */
    static TransactionHold acquire(AdapterRuntime runtime, String spaceName, String key, String what, ExclusiveSlot slot,
                                   AdapterRuntime.Acquisition how, Duration timeout) {
        TransactionSynchronizationRegistry tsr = runtime.transactions();
        if (tsr == null) {
            throw new IllegalStateException("FUTEXRA030: acquireForTransaction(" + what + ") needs JTA, and this"
                    + " LockFactory was made outside an application server. Use acquire(Duration) in"
                    + " try-with-resources instead.");
        }
        Object tx = tsr.getTransactionKey();
        int status = tsr.getTransactionStatus();
        if (tx == null || status != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("FUTEXRA030: acquireForTransaction(" + what + ") needs an active JTA"
                    + " transaction, and this thread has " + (tx == null ? "none" : "one in status " + statusName(status))
                    + ". Call it from a method that runs in a transaction (TransactionAttribute REQUIRED or MANDATORY,"
                    + " or between UserTransaction.begin and commit), or use acquire(Duration) in try-with-resources.");
        }
        @SuppressWarnings("unchecked")
        Map<String, TrackedHold> mine = (Map<String, TrackedHold>) tsr.getResource(runtime);
        TrackedHold already = mine == null ? null : mine.get(key);
        if (already != null && !already.isReleased()) {
            return new TransactionHold(what, already.fencingToken(), false); // same transaction: like a row lock
        }
        TrackedHold hold = runtime.acquire(spaceName, what, slot, how, timeout, null);
        try {
            if (mine == null) {
                mine = new ConcurrentHashMap<>();
                tsr.putResource(runtime, mine);
            }
            mine.put(key, hold);
            ReleaseAtEnd atEnd = new ReleaseAtEnd(hold, tsr);
            tsr.registerInterposedSynchronization(atEnd);
            hold.onLost(atEnd::lost);
        } catch (RuntimeException e) {
            hold.release();
            throw new IllegalStateException("FUTEXRA030: could not tie " + what + " to the current"
                    + " transaction (" + e + "); the lock was released. Is the transaction still active?", e);
        }
        return new TransactionHold(what, hold.fencingToken(), hold.previousOwnerDied());
    }

    static String statusName(int status) {
        return switch (status) {
            case Status.STATUS_ACTIVE -> "ACTIVE";
            case Status.STATUS_MARKED_ROLLBACK -> "MARKED_ROLLBACK";
            case Status.STATUS_PREPARED -> "PREPARED";
            case Status.STATUS_COMMITTED -> "COMMITTED";
            case Status.STATUS_ROLLEDBACK -> "ROLLEDBACK";
            case Status.STATUS_UNKNOWN -> "UNKNOWN";
            case Status.STATUS_NO_TRANSACTION -> "NO_TRANSACTION";
            case Status.STATUS_PREPARING -> "PREPARING";
            case Status.STATUS_COMMITTING -> "COMMITTING";
            case Status.STATUS_ROLLING_BACK -> "ROLLING_BACK";
            default -> "status " + status;
        };
    }

    /**
     * Rolls back a transaction whose lock was lost before the commit, and releases the lock when
     * its transaction has ended, on whichever thread ends it.
     */
    private static final class ReleaseAtEnd implements Synchronization {

        private final TrackedHold hold;
        private final TransactionSynchronizationRegistry tsr;
        private volatile boolean lost;

        ReleaseAtEnd(TrackedHold hold, TransactionSynchronizationRegistry tsr) {
            this.hold = hold;
            this.tsr = tsr;
        }

        /** The backend told the hold's loss (on its own thread). */
        void lost() {
            lost = true;
            JcaLog.warn("FUTEXRA022", "lost " + hold.describe() + " before its transaction ended: the"
                    + " transaction will be rolled back");
        }

        /** Held through the commit: released only after it. A lock lost by now makes the commit a rollback. */
        @Override
        public void beforeCompletion() {
            if (lost || !hold.isHeld()) {
                JcaLog.warn("FUTEXRA022", (lost ? "lost " : "cannot confirm it still holds ") + hold.describe()
                        + " at commit: marking the transaction rollback-only");
                tsr.setRollbackOnly();
            }
        }

        @Override
        public void afterCompletion(int status) {
            String what = hold.describe();
            try {
                if (hold.release()) {
                    JcaLog.fine("FUTEXRA020", "released " + what + " after the transaction ended ("
                            + statusName(status) + ") on thread '" + Thread.currentThread().getName() + "'");
                }
            } catch (RuntimeException e) {
                JcaLog.severe("FUTEXRA021", "could not release " + what + " at the end of its transaction", e);
            }
        }
    }
}
