package io.futexra.it.app;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.TransactionHold;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Test EJB: transaction-scoped locks, probed from another thread while the transaction is open. */
@Stateless
public class TxBean {

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    /**
     * Acquires {@code lock} for the transaction, closes the connection, acquires again in the same
     * transaction, and probes from another thread (another owner) whether it is free.
     *
     * @return {first token, second token, 1 if another thread could take it meanwhile else 0}
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long[] acquireTwiceAndProbe(String lock) {
        TransactionHold first;
        try (LockConnection c = locks.getConnection()) {
            first = c.lock(lock).acquireForTransaction(Duration.ofSeconds(5));
        }
        TransactionHold second;
        try (LockConnection c = locks.getConnection()) {
            second = c.lock(lock).acquireForTransaction(Duration.ofSeconds(5));
        }
        return new long[] {first.fencingToken(), second.fencingToken(), freeForAnotherThread(lock) ? 1 : 0};
    }

    /** Acquires {@code lock} for the transaction, then fails: the container rolls back. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void acquireThenFail(String lock) {
        try (LockConnection c = locks.getConnection()) {
            c.lock(lock).acquireForTransaction(Duration.ofSeconds(5));
        }
        throw new IllegalStateException("deliberate failure: the transaction must roll back");
    }

    /** Whether a thread other than the caller can take {@code lock} now (and it lets it go again). */
    public boolean freeForAnotherThread(String lock) {
        return CompletableFuture.supplyAsync(() -> {
            try (LockConnection c = locks.getConnection()) {
                return c.lock(lock).tryAcquire().map(h -> {
                    h.close();
                    return true;
                }).orElse(false);
            }
        }).join();
    }
}
