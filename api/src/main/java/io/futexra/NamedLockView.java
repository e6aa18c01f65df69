package io.futexra;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} over a {@link NamedLock}, for code written against {@code java.util.concurrent}
 * (Spring's {@code LockRegistry}, libraries that take a {@code Lock}). It is what
 * {@link NamedLock#asLock()} returns. Every backend, and any wrapper of a {@code NamedLock} (the
 * resource adapter's connection locks), builds its {@code asLock()} with this class: one view per
 * lock handle, so that re-entries through it are counted together.
 *
 * <p><b>Ownership and reentrancy.</b> The thread that locks through the view owns it and unlocks
 * through the same view; the view counts its re-entries per thread and releases the named lock
 * when the count returns to zero, so it is reentrant whatever the lock under it (process-owned
 * connection locks included). {@link #unlock()} by a thread that does not hold the view throws
 * {@link IllegalMonitorStateException} and releases nothing.
 *
 * <p><b>Interrupts</b>, as {@code Lock}'s Javadoc demands: {@link #lock()} is not interruptible
 * (an interrupt during the wait is remembered, the wait goes on, and the interrupt flag is set
 * again once the lock is taken); {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)}
 * throw {@link InterruptedException} and clear the flag when it is set on entry (even if the lock
 * is free or already held) or when an interrupt ends the wait. {@link #tryLock()} never waits and
 * never looks at the flag.
 *
 * <p><b>Owner death</b> is as for the named lock: the kernel frees the lock of a dead holder. The
 * {@code Lock} interface has no way to say so; callers that need the fencing token or
 * {@link Held#previousOwnerDied()} use {@link NamedLock#acquire()} instead.
 *
 * <p><b>Conditions</b> are not supported: {@link #newCondition()} throws
 * {@link UnsupportedOperationException}, for the reason it gives.
 */
public final class NamedLockView implements Lock {

    private final NamedLock lock;
    /** The calling thread's acquisition through this view, if it has one. */
    private final ThreadLocal<Hold> holds = new ThreadLocal<>();

    /** One thread's outermost acquisition and how many times it was entered through this view. */
    private static final class Hold {
        final Held held;
        int entries = 1;

        Hold(Held held) {
            this.held = held;
        }
    }

    /**
     * A view over {@code lock}; keep one per handle and return it from every {@code asLock()}.
     *
     * @param lock the lock the view acquires and releases
     */
    public NamedLockView(NamedLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    @Override
    public void lock() {
        if (reentered()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                holds.set(new Hold(lock.acquire()));
                break;
            } catch (LockInterruptedException remembered) {
                interrupted = true;
                Thread.interrupted(); // clear it, or the next wait would end at once
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // lock() must not lose an interrupt: hand it back
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        throwIfInterrupted();
        if (reentered()) {
            return;
        }
        try {
            holds.set(new Hold(lock.acquire()));
        } catch (LockInterruptedException e) {
            throw interruptedWhileWaiting(e);
        }
    }

    @Override
    public boolean tryLock() {
        if (reentered()) {
            return true;
        }
        return lock.tryAcquire().map(held -> {
            holds.set(new Hold(held));
            return true;
        }).orElse(false);
    }

    /** Waits at most {@code time} (zero or negative: tries once); the wait ends early on an interrupt. */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        throwIfInterrupted();
        if (reentered()) {
            return true;
        }
        try {
            holds.set(new Hold(lock.acquire(Duration.ofNanos(unit.toNanos(time)))));
            return true;
        } catch (LockTimeoutException busy) {
            return false;
        } catch (LockInterruptedException e) {
            throw interruptedWhileWaiting(e);
        }
    }

    @Override
    public void unlock() {
        Hold hold = holds.get();
        if (hold == null) {
            throw new IllegalMonitorStateException("lock '" + lock.name() + "' is not held by thread '"
                    + Thread.currentThread().getName() + "' through this Lock view: only the thread that locked it"
                    + " may unlock it, once per lock()");
        }
        if (--hold.entries == 0) {
            holds.remove();
            hold.held.close();
        }
    }

    /**
     * Always throws: a {@link Condition}'s {@code await} must release the lock and start sleeping
     * as one step, and its {@code signal} must reach waiters in every process, which a
     * thread-local {@code Condition} cannot do and the shared-memory space does not offer.
     * Signal across processes with a {@link io.futexra.NamedEvent} instead, outside the lock.
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("lock '" + lock.name() + "': a Condition cannot work across processes"
                + " (await must release the shared lock and sleep as one step, and signal must reach other processes);"
                + " use a NamedEvent (LockSpace.event) to signal between processes instead");
    }

    @Override
    public String toString() {
        Hold hold = holds.get();
        return "NamedLockView[lock '" + lock.name() + "', " + (hold == null ? "not held" : "held " + hold.entries
                + " time(s)") + " by the calling thread]";
    }

    private boolean reentered() {
        Hold hold = holds.get();
        if (hold == null) {
            return false;
        }
        if (hold.entries == Integer.MAX_VALUE) {
            throw new Error("lock '" + lock.name() + "': maximum lock count exceeded");
        }
        hold.entries++;
        return true;
    }

    private void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring lock '" + lock.name() + "'");
        }
    }

    private InterruptedException interruptedWhileWaiting(LockInterruptedException cause) {
        Thread.interrupted(); // InterruptedException reports the interrupt: the flag is cleared
        InterruptedException e = new InterruptedException("interrupted while waiting for lock '" + lock.name() + "'");
        e.initCause(cause);
        return e;
    }
}
