package io.futexra.jca;

/**
 * A lock held until the current JTA transaction ends ({@link ConnectionLock#acquireForTransaction}).
 * Deliberately not closeable: the transaction's completion is what releases it.
 *
 * @param lock which lock, as warnings name it (for example {@code lock 'account-42'})
 * @param fencingToken the acquisition's fencing token: pass it to downstream systems
 * @param previousOwnerDied whether the previous holder died holding the lock
 */
public record TransactionHold(String lock, long fencingToken, boolean previousOwnerDied) {
}
