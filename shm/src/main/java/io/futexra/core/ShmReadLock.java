package io.futexra.core;

import static io.futexra.core.SlotDescriptor.ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;

import io.futexra.Held;
import io.futexra.NamedLock;
import io.futexra.NamedLockView;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.IntConsumer;

/**
 * The read side of a {@link ShmReadWriteLock} (see its overview). A read hold is a hold record
 * owned by the reading thread's participant, announced in the reader mask ({@link ReaderSet});
 * reentrant reads of one thread share its record. A
 * process-owned read hold ({@link #acquireForProcess}) is a record of the keeper's, one per hold.
 *
 * <p>A reader's {@link Held#fencingToken()} is the last writer's token: what it reads was written
 * under that token. {@link Held#previousOwnerDied()} is true while the last writer died and no
 * writer has taken over since: what it wrote may be half done.
 */
final class ShmReadLock implements NamedLock {

    private final ShmLockSpace space;
    private final String name;
    private final SharedMemory memory;
    private final int base;
    private final ReaderSet readers;
    private final RobustMutex writer;
    /** {@link #asLock()}: one view per handle, so re-entries through it are counted together. */
    private final Lock view = new NamedLockView(this);
    /** How a process-owned read hold leaves, and what it is called: made once, not per hold. */
    private final IntConsumer leave;
    private final String processWhat;

    ShmReadLock(ShmLockSpace space, String name, SharedMemory memory, int base, ReaderSet readers,
                RobustMutex writer) {
        this.space = space;
        this.name = name;
        this.memory = memory;
        this.base = base;
        this.readers = readers;
        this.writer = writer;
        this.leave = readers::leave;
        this.processWhat = "read " + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Held acquire() {
        return acquireUntil(FutexSleep.FOREVER, null, false, null);
    }

    @Override
    public Held acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return acquireUntil(Deadlines.NOT_READ, timeout, false, null);
    }

    @Override
    public Optional<Held> tryAcquire() {
        return Optional.ofNullable(acquireUntil(FutexSleep.FOREVER, null, true, null));
    }

    /**
     * A read hold owned by the process (its keeper participant, see {@link Keeper}): a record of
     * its own, not reentrant with the thread's holds, released by any thread of the process, and
     * by the kernel's death handling when the process dies ({@link ProcessRecordHeld}).
     */
    @Override
    public Held acquireForProcess(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        space.checkOpen();
        return space.forProcess(keeper -> acquireUntil(Deadlines.NOT_READ, timeout, false, keeper)); // counted before a record names the keeper
    }

    @Override
    public Lock asLock() {
        return view;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        space.checkIntact();
        try {
            ThreadContext me = space.thread();
            return me == ThreadContext.VIRTUAL ? VirtualCallers.holds(this) : readers.heldBy(me.id) >= 0;
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * Returns null when {@code tryOnly} and the lock is not free for readers now; with a
     * {@code keeper}, the record is claimed for the keeper participant (the calling thread still
     * waits), else for the calling thread.
     */
    private Held acquireUntil(long deadlineNanos, Duration timeout, boolean tryOnly, ThreadContext keeper) {
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                long deadline = Deadlines.read(deadlineNanos, timeout);
                if (keeper == null) {
                    return VirtualCallers.acquireRead(this, deadline, timeout, tryOnly);
                }
                boolean downgrade = VirtualCallers.holdsWriteLock(this); // its write hold lets its reads in
                return KernelWaiter.await(() -> enterOnWaiter(deadline, timeout, false, keeper, downgrade));
            }
            return enter(me, deadlineNanos, timeout, tryOnly, keeper, false);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * For a virtual caller ({@link VirtualCallers}), on a waiter thread: a read hold for the
     * keeper, counted as a process-owned hold; null if {@code tryOnly} and not free now.
     * {@code keeperWrites}: the caller holds this lock's write lock through the keeper, so the
     * keeper's word lets it in (a downgrade).
     */
    Held enterForVirtual(long deadlineNanos, Duration timeout, boolean tryOnly, boolean keeperWrites) {
        space.checkOpen();
        ThreadContext keeper = space.processHoldOpening(); // counted before a record names the keeper
        Held held = null;
        try {
            held = enterOnWaiter(deadlineNanos, timeout, tryOnly, keeper, keeperWrites);
            return held;
        } finally {
            if (held == null) {
                space.processHoldClosed();
            }
        }
    }

    private Held enterOnWaiter(long deadlineNanos, Duration timeout, boolean tryOnly, ThreadContext keeper,
                               boolean keeperWrites) {
        try {
            return enter(space.thread(), deadlineNanos, timeout, tryOnly, keeper, keeperWrites);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** Base of this lock's slot, shared with its write lock. */
    int base() {
        return base;
    }

    ShmLockSpace space() {
        return space;
    }

    /** {@code deadlineNanos} may be {@link Deadlines#NOT_READ}: the clock is read once the reader has to wait. */
    private Held enter(ThreadContext me, long deadlineNanos, Duration timeout, boolean tryOnly, ThreadContext keeper,
                       boolean keeperWrites) {
        boolean forProcess = keeper != null;
        int readerId = keeperWrites ? keeper.id : me.id; // whose write hold lets this reader in
        int mine = forProcess ? -1 : readers.heldBy(me.id);
        if (mine >= 0) { // reentrant read: one record per thread
            readers.setDepth(mine, readers.depth(mine) + 1);
            return new ReadHeld(me, mine, memory.getLong(base + FENCING_TOKEN_OFFSET), false);
        }
        ThreadContext holder = forProcess ? keeper : me;
        boolean contended = false;
        int spins = ShmNamedLock.DEFAULT_SPIN_LIMIT;
        while (true) {
            int w = writer.reapIfDead(writer.wordValue()); // a dead writer's word reads abandoned
            if (ReaderSet.lets(w, readerId)) {
                int entered = readers.tryEnter(holder, readerId); // the reader's half of the Dekker step
                if (entered >= 0) {
                    int record = entered & HoldRecords.INDEX_MASK;
                    boolean writerDied = (entered & ReaderSet.WRITER_DIED) != 0;
                    return forProcess ? enteredForProcess(record, writerDied, contended)
                            : entered(me, record, writerDied, contended);
                }
                if (entered == ReaderSet.WRITER_IN) {
                    continue; // a writer came first: it has the word now
                }
            }
            if (tryOnly) {
                return null;
            }
            if (!contended) {
                contended = true;
                deadlineNanos = Deadlines.read(deadlineNanos, timeout);
            }
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            int outcome = ReaderSet.lets(w, readerId) ? readers.sleepUntilAnyFree(me, deadlineNanos)
                    : sleepOnWriter(me, w, deadlineNanos);
            if (outcome == FutexSleep.TIMED_OUT) {
                throw WaitFailures.timedOut(timeout, "the read lock of '" + name + "'", space,
                        space.describeHolder(base));
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                throw WaitFailures.interrupted("the read lock of '" + name + "'", space);
            }
        }
    }

    private int sleepOnWriter(ThreadContext me, int seen, long deadlineNanos) {
        if (!writer.markWaiters(seen)) {
            return FutexSleep.WOKEN; // the word changed: look again
        }
        int outcome = writer.sleepOnWordAndOwner(me, seen | RobustMutex.WAITERS, deadlineNanos);
        int now = writer.wordValue();
        if ((now & RobustMutex.OWNER_DIED) != 0 && (now & RobustMutex.TID_MASK) == 0) {
            writer.wakeAll(); // its reaper may have woken only us: pass it on
        }
        return outcome;
    }

    private Held entered(ThreadContext me, int record, boolean writerDied, boolean contended) {
        countEntry(contended);
        me.holds++; // a participant holding a record does not retire
        return new ReadHeld(me, record, memory.getLong(base + FENCING_TOKEN_OFFSET), writerDied);
    }

    private Held enteredForProcess(int record, boolean writerDied, boolean contended) {
        countEntry(contended);
        return new ProcessRecordHeld(space, leave, record, memory.getLong(base + FENCING_TOKEN_OFFSET), writerDied,
                processWhat, "last writer died");
    }

    private void countEntry(boolean contended) {
        memory.getAndAddLong(base + ACQUISITIONS_OFFSET, 1);
        if (contended) {
            memory.getAndAddLong(base + CONTENDED_ACQUISITIONS_OFFSET, 1);
        }
    }

    @Override
    public String toString() {
        return "ReadLock[" + space.name() + "/" + name + "]";
    }

    /** One read acquisition, confined to the reading thread. */
    private final class ReadHeld extends AbstractHeld {
        private final ThreadContext owner;
        /** The reading thread: the owner check on release is a compare, not a context lookup. */
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

        ReadHeld(ThreadContext owner, int record, long token, boolean writerDied) {
            super(space, token, writerDied);
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
                throw new IllegalMonitorStateException("the read lock of '" + name + "' in space '" + space.name()
                        + "' can only be released by the thread that took it (tid " + owner.tid + "), not by "
                        + Thread.currentThread().getName());
            }
            if (closed) {
                return;
            }
            closed = true;
            int depth = readers.depth(record);
            if (depth > 1) {
                readers.setDepth(record, depth - 1);
            } else {
                readers.leave(record);
                owner.holds--; // the owner's context is the thread's while it holds: holding, it does not retire
            }
        }

        @Override
        public String toString() {
            return describe("read " + name, "last writer died");
        }
    }

}
