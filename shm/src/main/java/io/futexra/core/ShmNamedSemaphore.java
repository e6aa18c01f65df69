package io.futexra.core;

import static io.futexra.core.SlotDescriptor.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;
import static io.futexra.core.SlotDescriptor.OWNER_DIED_COUNT_OFFSET;

import io.futexra.Held;
import io.futexra.NamedSemaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * {@link NamedSemaphore} as {@code permits} {@link HoldRecords}: a permit is a record, so
 * "at most {@code permits} holders" holds by construction, and a dead holder's permit is free once
 * the kernel has marked its alive word. Acquiring claims any free record; waiting sleeps on the
 * slot's records-changed word and the holders' alive words at once.
 *
 * <p>A thread's permit is a record of the thread's participant; a process-owned permit
 * ({@link #acquireForProcess}) is a record of the keeper's ({@link ProcessRecordHeld}), claimed by the
 * calling thread (which does the waiting) and released by whichever thread closes it.
 *
 * <p>The slot's counters are shared by concurrent holders, so they are updated atomically.
 */
final class ShmNamedSemaphore implements NamedSemaphore {

    private final ShmLockSpace space;
    private final String name;
    private final SharedMemory memory;
    private final int base;
    private final HoldRecords records;
    /** How a process-owned permit is returned, and what it is called: made once, not per permit. */
    private final IntConsumer release;
    private final String processWhat;

    /** Set in {@link #claimUntil}'s result when the claim had to wait (above {@link HoldRecords#INDEX_MASK}'s bits). */
    private static final int CONTENDED = 1 << 17;

    ShmNamedSemaphore(ShmLockSpace space, String name, SharedMemory memory, int base, int permits) {
        this.space = space;
        this.name = name;
        this.memory = memory;
        this.base = base;
        this.records = new HoldRecords(memory, space.kernel(), space.participants(), base, permits);
        this.release = records::release;
        this.processWhat = "permit of " + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int permits() {
        return records.count();
    }

    @Override
    public int availablePermits() {
        space.checkIntact();
        try {
            return records.count() - records.heldCount();
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    @Override
    public Held acquire() {
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                return VirtualCallers.acquirePermit(this, FutexSleep.FOREVER, null);
            }
            return held(me, claimUntil(me, me, FutexSleep.FOREVER, null));
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    @Override
    public Held acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                return VirtualCallers.acquirePermit(this, Deadlines.after(timeout), timeout);
            }
            return held(me, claimUntil(me, me, Deadlines.NOT_READ, timeout));
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * A permit owned by the process (its keeper participant): the calling thread waits, any thread
     * of the process may close the result, and the kernel's death handling frees it when the
     * process dies.
     */
    @Override
    public Held acquireForProcess(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                return VirtualCallers.acquirePermitForProcess(this, Deadlines.after(timeout), timeout);
            }
            return forProcess(me, Deadlines.NOT_READ, timeout);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** For a virtual caller ({@link VirtualCallers}): {@link #acquireForProcess} until {@code deadline}, on a waiter thread. */
    Held acquireForProcessUntil(long deadline, Duration timeout) {
        space.checkOpen();
        try {
            return forProcess(space.thread(), deadline, timeout);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** For a virtual caller, on its own thread: a permit for the keeper if one is free now (no wait), else null. */
    Held claimFreeForProcess() {
        space.checkOpen();
        try {
            ThreadContext keeper = space.processHoldOpening(); // counted before a record names the keeper
            int claimed = records.claim(keeper);
            if (claimed == HoldRecords.NONE_FREE) {
                space.processHoldClosed();
                return null;
            }
            return new ProcessRecordHeld(space, release, claimed & HoldRecords.INDEX_MASK, count(claimed),
                    (claimed & HoldRecords.CLAIMED_OWNER_DIED) != 0, processWhat, "previous owner died");
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    int base() {
        return base;
    }

    ShmLockSpace space() {
        return space;
    }

    private Held forProcess(ThreadContext me, long deadline, Duration timeout) {
        return space.forProcess(keeper -> { // counted before a record names the keeper
            int claimed = claimUntil(me, keeper, deadline, timeout);
            return new ProcessRecordHeld(space, release, claimed & HoldRecords.INDEX_MASK, count(claimed),
                    (claimed & HoldRecords.CLAIMED_OWNER_DIED) != 0, processWhat, "previous owner died");
        });
    }

    @Override
    public Optional<Held> tryAcquire() {
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                return Optional.ofNullable(VirtualCallers.tryPermit(this));
            }
            int claimed = records.claim(me);
            return claimed == HoldRecords.NONE_FREE ? Optional.empty() : Optional.of(held(me, claimed));
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * Claims a record for {@code holder}, {@code me} waiting for it; {@code deadlineNanos} may be
     * {@link Deadlines#NOT_READ} (the clock is read once it has to wait).
     *
     * @return {@link HoldRecords#claim}'s result, with {@link #CONTENDED} set if it had to wait
     */
    private int claimUntil(ThreadContext me, ThreadContext holder, long deadlineNanos, Duration timeout) {
        boolean contended = false;
        int spins = ShmNamedLock.DEFAULT_SPIN_LIMIT;
        while (true) {
            int claimed = records.claim(holder);
            if (claimed != HoldRecords.NONE_FREE) {
                return contended ? claimed | CONTENDED : claimed;
            }
            if (!contended) {
                contended = true;
                deadlineNanos = Deadlines.read(deadlineNanos, timeout);
            }
            if (spins-- > 0) {
                Thread.onSpinWait();
                continue;
            }
            int outcome = records.sleepUntilAnyFree(me, deadlineNanos);
            if (outcome == FutexSleep.TIMED_OUT) {
                throw WaitFailures.timedOut(timeout, "a permit of semaphore '" + name + "'", space,
                        " (all " + permits() + " in use)");
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                throw WaitFailures.interrupted("a permit of semaphore '" + name + "'", space);
            }
        }
    }

    private Held held(ThreadContext me, int claimed) {
        long token = count(claimed);
        me.holds++; // a participant holding a record does not retire
        return new Permit(me, claimed & HoldRecords.INDEX_MASK, token, (claimed & HoldRecords.CLAIMED_OWNER_DIED) != 0);
    }

    /**
     * Counts a claim in the slot's counters; returns its fencing token, which is also the count of
     * permits taken (one atomic for both).
     */
    private long count(int claimed) {
        if ((claimed & CONTENDED) != 0) {
            memory.getAndAddLong(base + CONTENDED_ACQUISITIONS_OFFSET, 1);
        }
        if ((claimed & HoldRecords.CLAIMED_OWNER_DIED) != 0) {
            memory.getAndAddLong(base + OWNER_DIED_COUNT_OFFSET, 1);
        }
        return memory.getAndAddLong(base + FENCING_TOKEN_OFFSET, 1) + 1;
    }

    @Override
    public String toString() {
        return "NamedSemaphore[" + space.name() + "/" + name + ", " + permits() + " permits]";
    }

    /** One permit, confined to the acquiring thread. */
    private final class Permit extends AbstractHeld {
        private final ThreadContext owner;
        /** The acquiring thread: the owner check on release is a compare, not a context lookup. */
        private final Thread ownerThread;
        private final int record;
        private boolean closed;

        /** Not closed (a record taken over by another holder is not detected for this kind). */
        @Override
        boolean holds() {
            return !closed;
        }

        @Override
        boolean closedByHolder() {
            return closed;
        }

        Permit(ThreadContext owner, int record, long token, boolean died) {
            super(space, token, died);
            this.owner = owner;
            this.ownerThread = Thread.currentThread();
            this.record = record;
        }

        @Override
        public void close() {
            space.checkIntact();
            try {
                release();
            } catch (InternalError fault) {
                throw space.truncatedUnderUs(fault);
            }
        }

        private void release() {
            if (Thread.currentThread() != ownerThread) {
                throw new IllegalMonitorStateException("a permit of semaphore '" + name + "' in space '" + space.name()
                        + "' can only be returned by the thread that took it (tid " + owner.tid + "), not by "
                        + Thread.currentThread().getName());
            }
            if (!closed) {
                closed = true;
                records.release(record);
                owner.holds--; // the owner's context is the thread's while it holds: holding, it does not retire
            }
        }

        @Override
        public String toString() {
            return describe("permit of " + name, "previous owner died");
        }
    }
}
