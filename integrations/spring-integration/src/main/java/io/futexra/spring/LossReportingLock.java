package io.futexra.spring;

import io.futexra.Held;
import io.futexra.NamedLock;
import io.futexra.NamedLockView;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A {@link NamedLock} whose acquisitions report, when released, that they were lost while held:
 * the {@link Lock} view over it is what {@link FutexLockRegistry#obtain} returns.
 *
 * <p>An acquisition's {@link Held#close()} releases as usual and then, if the acquisition is not
 * known held at that moment — lost (ZooKeeper: node deleted, session expired; a loss is final) or
 * in doubt (connection suspended): another client may hold the lock or have held it meanwhile —
 * throws {@link ConcurrentModificationException}, the exception Spring Integration's
 * {@code JdbcLockRegistry} throws from {@code unlock()} when its lock went from the store. The
 * {@link NamedLockView} forgets the thread's hold before it closes it, so the thread owns nothing
 * afterwards and the exception leaves {@code unlock()} to the caller.
 */
final class LossReportingLock implements NamedLock {

    private final NamedLock lock;
    private final Lock view = new NamedLockView(this);

    LossReportingLock(NamedLock lock) {
        this.lock = lock;
    }

    @Override
    public String name() {
        return lock.name();
    }

    @Override
    public Held acquire() {
        return new ReportingHeld(lock.acquire());
    }

    @Override
    public Held acquire(Duration timeout) {
        return new ReportingHeld(lock.acquire(timeout));
    }

    @Override
    public Optional<Held> tryAcquire() {
        return lock.tryAcquire().map(ReportingHeld::new);
    }

    @Override
    public Held acquireForProcess(Duration timeout) {
        return new ReportingHeld(lock.acquireForProcess(timeout));
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    @Override
    public Lock asLock() {
        return view;
    }

    /** An acquisition whose release throws once it was lost. */
    private final class ReportingHeld implements Held {
        private final Held held;

        ReportingHeld(Held held) {
            this.held = held;
        }

        @Override
        public long fencingToken() {
            return held.fencingToken();
        }

        @Override
        public boolean previousOwnerDied() {
            return held.previousOwnerDied();
        }

        @Override
        public boolean isHeld() {
            return held.isHeld();
        }

        @Override
        public Held onLost(Runnable action) {
            held.onLost(action);
            return this;
        }

        /**
         * Releases, then throws {@link ConcurrentModificationException} if the acquisition was lost
         * (or is in doubt) before this release.
         */
        @Override
        public void close() {
            boolean lost = !held.isHeld();
            held.close();
            if (lost) {
                throw new ConcurrentModificationException("Lock was released in the store due to expiration."
                        + " The integrity of data protected by this lock may have been compromised. futex-ra lock '"
                        + lock.name() + "' (fencing token " + held.fencingToken() + ") was lost while this thread held it"
                        + " (ZooKeeper: its node was deleted, its session expired, or the connection was cut off past"
                        + " the point where another client may hold it); another holder may have run meanwhile."
                        + " Its release freed nothing of another holder's.");
            }
        }
    }
}
