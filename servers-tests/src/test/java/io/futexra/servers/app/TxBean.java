package io.futexra.servers.app;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.TransactionHold;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A transaction-scoped lock held until a file (the test's gate) appears, then committed or rolled back. */
@Stateless
public class TxBean {

    /**
     * Acquires {@code lock} for the container's transaction, waits for {@code gate} to exist (60 s at
     * most), then returns (the container commits) or, with {@code rollback}, throws (it rolls back).
     *
     * @return the transaction hold's fencing token
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long holdUntil(String lock, String gate, boolean rollback) {
        LockFactory locks = LockServlet.factory(LockServlet.jndiName());
        TransactionHold hold;
        try (LockConnection c = locks.getConnection()) {
            hold = c.lock(lock).acquireForTransaction(Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(Path.of(gate)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding " + lock, e);
            }
        }
        if (rollback) {
            throw new IllegalStateException("deliberate failure after token " + hold.fencingToken());
        }
        return hold.fencingToken();
    }
}
