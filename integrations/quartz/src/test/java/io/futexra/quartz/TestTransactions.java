package io.futexra.quartz;

import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAResource;

/**
 * The least of a JTA transaction manager that a server would give the handler: one transaction
 * per thread, synchronizations run around its completion as JTA orders them
 * ({@code beforeCompletion}, then the outcome, then {@code afterCompletion}), and a transaction
 * marked rollback-only rolls back at commit. No resources are enlisted.
 */
final class TestTransactions implements TransactionManager {

    private final ThreadLocal<TestTransaction> current = new ThreadLocal<>();

    @Override
    public void begin() {
        current.set(new TestTransaction());
    }

    @Override
    public void commit() throws RollbackException {
        TestTransaction transaction = current.get();
        current.remove();
        transaction.commit();
    }

    @Override
    public int getStatus() {
        TestTransaction transaction = current.get();
        return transaction == null ? Status.STATUS_NO_TRANSACTION : transaction.getStatus();
    }

    @Override
    public Transaction getTransaction() {
        return current.get();
    }

    @Override
    public void resume(Transaction transaction) {
        current.set((TestTransaction) transaction);
    }

    @Override
    public void rollback() {
        TestTransaction transaction = current.get();
        current.remove();
        transaction.rollback();
    }

    @Override
    public void setRollbackOnly() {
        current.get().setRollbackOnly();
    }

    @Override
    public void setTransactionTimeout(int seconds) {
        // no timeouts: the tests end every transaction themselves
    }

    @Override
    public Transaction suspend() {
        TestTransaction transaction = current.get();
        current.remove();
        return transaction;
    }

    static final class TestTransaction implements Transaction {
        private final List<Synchronization> synchronizations = new ArrayList<>();
        private int status = Status.STATUS_ACTIVE;

        @Override
        public void commit() throws RollbackException {
            synchronizations.forEach(Synchronization::beforeCompletion);
            if (status == Status.STATUS_MARKED_ROLLBACK) {
                complete(Status.STATUS_ROLLEDBACK);
                throw new RollbackException("marked rollback-only before completion: rolled back");
            }
            complete(Status.STATUS_COMMITTED);
        }

        @Override
        public void rollback() {
            complete(Status.STATUS_ROLLEDBACK);
        }

        private void complete(int outcome) {
            status = outcome;
            synchronizations.forEach(s -> s.afterCompletion(outcome));
        }

        @Override
        public boolean delistResource(XAResource resource, int flag) {
            throw new UnsupportedOperationException("no resources in these tests");
        }

        @Override
        public boolean enlistResource(XAResource resource) {
            throw new UnsupportedOperationException("no resources in these tests");
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void registerSynchronization(Synchronization synchronization) {
            synchronizations.add(synchronization);
        }

        @Override
        public void setRollbackOnly() {
            status = Status.STATUS_MARKED_ROLLBACK;
        }
    }
}
