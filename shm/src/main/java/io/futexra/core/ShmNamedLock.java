package io.futexra.core;

import static io.futexra.core.LockDescriptor.HELD_SINCE_MILLIS_OFFSET;
import static io.futexra.core.SlotDescriptor.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;
import static io.futexra.core.SlotDescriptor.OWNER_DIED_COUNT_OFFSET;

import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockStatistics;
import io.futexra.NamedLock;
import io.futexra.NamedLockView;
import io.futexra.kit.LockFigures;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * {@link NamedLock} on a slot's {@link RobustMutex}, adding reentrancy, fencing tokens and the
 * slot's counters. It is also the writer of a {@link ShmReadWriteLock}: given its
 * {@link WriteSide}, a fresh acquisition first takes the word (which stops new readers) and then
 * waits for the readers already inside to leave; its release wakes every waiter, readers included.
 *
 * <p>All of the slot's fields but the lock word and {@code SLEEPERS} are written by the owner
 * only, between its acquiring CAS and its releasing getAndSet, so plain stores suffice: those two
 * atomics order them for the next owner in any process. Observers ({@code objects()}) read them
 * racily, as a snapshot.
 *
 * <p>This process's figures of the lock ({@link LockFigures}) are written off the fast path only:
 * an acquisition that fails the fast path's CAS has its wait timed, a timeout is counted, and one
 * release in {@link LockStatistics#HOLD_SAMPLE_INTERVAL} (chosen by the hold's fencing token, so
 * with no counter of its own) records the hold time from the coarse clock stamp in the slot.
 *
 * <p>Reentrancy is the owner thread's own state, kept in its {@link ThreadContext} (one per thread
 * and space file, so it holds however many handles of the lock the thread uses): only the owner
 * can re-enter or release, so nobody else needs to see it.
 */
final class ShmNamedLock implements NamedLock {

    static final int DEFAULT_SPIN_LIMIT = LockOptions.DEFAULT_SPIN;
    /** The most an adaptive lock spins before sleeping. */
    static final int MAX_ADAPTIVE_SPIN = 4_000;

    private final ShmLockSpace space;
    private final String name;
    private final SharedMemory memory;
    private final int base;
    private final RobustMutex mutex;
    /** {@link #asLock()}: one view per handle, so re-entries through it are counted together. */
    private final Lock view = new NamedLockView(this);
    /** The writer's steps when this is the write lock of a read/write lock, else null. */
    private final WriteSide writeSide;
    private final int wakeOnRelease;
    private final int spinLimit;
    private final LockOptions options;
    /** This process's figures of the lock (waits, timeouts, sampled holds), or {@code null} when off. */
    private final LockFigures figures;
    /**
     * The fencing tokens whose release is sampled end in these bits: those of the object's first
     * token ({@code TOKEN_ORIGIN + 1}), so the first hold and every
     * {@link LockStatistics#HOLD_SAMPLE_INTERVAL}-th after it are, whatever the origin.
     */
    private final long sampledTokenBits;
    /**
     * Adaptive spinning's current budget in this process: grows towards twice what a successful
     * spin used, halves when spinning ended in sleep anyway. Racy updates are harmless.
     */
    private int adaptiveSpins = DEFAULT_SPIN_LIMIT;

    ShmNamedLock(ShmLockSpace space, String name, SharedMemory memory, int base, LockOptions options) {
        this(space, name, memory, base, options, options.policy() == LockPolicy.FAIR
                ? new FairMutex(memory, space.kernel(), space.participants(), base)
                : new RobustMutex(memory, space.kernel(), space.participants(), base), null);
    }

    /** The write lock of a read/write lock, whose writer word is {@code writer}. */
    ShmNamedLock(ShmLockSpace space, String name, SharedMemory memory, int base, RobustMutex writer,
                 WriteSide writeSide) {
        this(space, name, memory, base, LockOptions.defaults(), writer, writeSide);
    }

    private ShmNamedLock(ShmLockSpace space, String name, SharedMemory memory, int base, LockOptions options,
                         RobustMutex mutex, WriteSide writeSide) {
        this.space = space;
        this.name = name;
        this.memory = memory;
        this.base = base;
        this.mutex = mutex;
        this.writeSide = writeSide;
        this.wakeOnRelease = writeSide == null ? 1 : Integer.MAX_VALUE;
        this.spinLimit = options.spinLimit();
        this.options = options;
        this.figures = space.figures(name);
        this.sampledTokenBits = (memory.getLong(base + SlotDescriptor.TOKEN_ORIGIN_OFFSET) + 1)
                & (LockStatistics.HOLD_SAMPLE_INTERVAL - 1);
    }

    LockOptions options() {
        return options;
    }

    RobustMutex mutex() {
        return mutex;
    }

    ShmLockSpace space() {
        return space;
    }

    SharedMemory memory() {
        return memory;
    }

    int base() {
        return base;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The fast path is kept apart and small on purpose: a free word taken with one CAS, the token
     * drawn and the time stamped ({@link #taken}); everything else is in {@link #acquireUntil},
     * whose call site a caller that never waits never reaches, so the JIT leaves it out. The
     * release's fast path is {@link ShmHeld#close()} calling {@link #releaseLast} with values, not
     * the {@code Held}. A branch for another kind of caller belongs before {@code space.thread()}.
     *
     * <p>What each step costs, uncontended, in thread CPU ns per acquire + release on the 2-vCPU
     * AMD EPYC VM of docs/benchmarks.md (the steps rebuilt one at a time on a shared mapping by
     * {@code benchmarks/.../FastPathSteps}; whole lock by {@code PlainLoop}):
     * <table>
     * <caption>Fast path steps</caption>
     * <tr><th>step</th><th>Java 17</th><th>Java 25</th></tr>
     * <tr><td>CAS to take the word, plain store to free it (not enough: a release must see
     *     {@code WAITERS} atomically)</td><td>3.6</td><td>3.7</td></tr>
     * <tr><td>release by getAndSet instead, {@code WAITERS} tested</td><td>+2.7</td><td>+2.1</td></tr>
     * <tr><td>fencing token: plain read and store in the slot</td><td>+0</td><td>+0</td></tr>
     * <tr><td>"held since": the coarse clock read, one store</td><td>+0 to 1</td><td>+0</td></tr>
     * <tr><td>the thread's context ({@code ThreadLocal}, {@code WeakReference})</td><td>+3.0</td><td>+2.0</td></tr>
     * <tr><td>reentrancy: one field of the context read at close; no slot access</td><td>+0</td><td>+0</td></tr>
     * <tr><td>hold-time sampling, 1 release in 8 (two {@code TimeRecorder}s)</td><td>+1.2</td><td>+1.6</td></tr>
     * <tr><td>{@code Held} allocated (when escape analysis cannot remove it)</td><td>+4.7</td><td>+3.4</td></tr>
     * <tr><td>the whole {@code NamedLock} in a plain loop</td><td>21 to 24</td><td>17 to 18</td></tr>
     * <tr><td>{@code ReentrantLock} in the same loop</td><td>5 to 8</td><td>5</td></tr>
     * </table>
     * The rest of the whole lock is the space's open and intact checks, the handle's fields and,
     * on Java 17, a call: C2 inlines an already compiled callee only below {@code InlineSmallCode}
     * (2500 bytes), and {@code acquire()} compiles to about 3.3 KB on Java 17 (each byte-buffer
     * view access expands to its index, read-only and alignment checks), so it stays a call and
     * each acquisition allocates its {@code Held}; {@code close()} (under 1 KB) is inlined. On
     * Java 25 both are inlined into the loop and escape analysis removes the {@code Held} of a
     * try-with-resources block (no allocation per acquisition). The two atomics (the CAS and the
     * getAndSet, about 6 ns together) are the floor of a word that sleepers in other processes
     * rely on.
     */
    @Override
    public Held acquire() {
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            if (me == ThreadContext.VIRTUAL) {
                return VirtualCallers.acquire(this, FutexSleep.FOREVER, null);
            }
            if (freeTaken(me)) {
                return new ShmHeld(this, me, taken(me), false);
            }
            return acquireUntil(me, FutexSleep.FOREVER, null);
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
                return VirtualCallers.acquire(this, Deadlines.after(timeout), timeout);
            }
            if (freeTaken(me)) {
                return new ShmHeld(this, me, taken(me), false);
            }
            return acquireUntil(me, Deadlines.after(timeout), timeout);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * Takes the word for {@code me} if it is free now (one CAS); a write lock also only if no
     * reader is about ({@link WriteSide#takeIfNoReaders}).
     */
    private boolean freeTaken(ThreadContext me) {
        return writeSide == null ? mutex.tryFree(me.id) : writeSide.takeIfNoReaders(me, mutex, wakeOnRelease);
    }

    /**
     * The bookkeeping of a free word taken on the fast path: counted, the token drawn and the time
     * stamped (two plain stores; the CAS before and the release's getAndSet after order them).
     * Returns the fencing token.
     */
    private long taken(ThreadContext me) {
        me.holds++;
        long token = memory.getLong(base + FENCING_TOKEN_OFFSET) + 1;
        memory.putLong(base + FENCING_TOKEN_OFFSET, token);
        memory.putLong(base + HELD_SINCE_MILLIS_OFFSET, space.millis());
        return token;
    }

    /** A fresh acquisition by {@code me} off the fast path: counted and recorded. */
    private Held acquired(ThreadContext me, int flags) {
        me.holds++;
        return new ShmHeld(this, me, recordAcquisition(flags), (flags & RobustMutex.ACQUIRED_OWNER_DIED) != 0);
    }

    @Override
    public Optional<Held> tryAcquire() {
        space.checkOpen();
        try {
            return tryAcquire(space.thread());
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    private Optional<Held> tryAcquire(ThreadContext me) {
        if (me == ThreadContext.VIRTUAL) {
            return VirtualCallers.tryAcquire(this);
        }
        if (mutex.ownerId() == me.id) {
            return Optional.of(reenter(me));
        }
        if (writeSide != null) {
            writeSide.refuseUpgrade(me);
        }
        int flags = mutex.tryLock(me);
        if (flags >= 0 && writeSide != null && writeSide.readersInside(me)) {
            giveUp(me, flags); // readers inside: a try never waits for them
            return Optional.empty();
        }
        if (flags < 0) {
            return Optional.empty();
        }
        return Optional.of(acquired(me, flags));
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
            return me == ThreadContext.VIRTUAL ? VirtualCallers.holds(this) : mutex.ownerId() == me.id;
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** Whether the lock's word names {@code context} now; never, once the space file was found truncated. */
    boolean isOwnedBy(ThreadContext context) {
        if (!space.isIntact()) {
            return false;
        }
        try {
            return mutex.ownerId() == context.id;
        } catch (InternalError fault) {
            space.truncatedUnderUs(fault); // broken from now on: the hold is lost
            return false;
        }
    }

    /**
     * A process-owned acquisition: the word is taken for the keeper participant ({@link Keeper})
     * directly, the calling thread doing the waiting, so the uncontended case is one CAS like a
     * thread's (FAIR: taken in the thread's turn, then handed over, see {@link FairMutex#lockAs}).
     * The hold is counted ({@link ProcessHolds}) before the word names the keeper, so the keeper
     * lives while it does; the kernel marks the keeper's alive word when the process dies, which
     * frees the word flagged for the next holder. See {@link ProcessHeld} for closing it.
     */
    @Override
    public Held acquireForProcess(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        space.checkOpen();
        try {
            ThreadContext me = space.thread();
            return me == ThreadContext.VIRTUAL ? VirtualCallers.acquireForProcess(this, Deadlines.after(timeout), timeout)
                    : acquireForProcess(me, Deadlines.NOT_READ, timeout);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    private Held acquireForProcess(ThreadContext me, long deadlineNanos, Duration timeout) {
        if (mutex.ownerId() == me.id) { // exact: only this thread can make the word name it
            throw new IllegalStateException("lock '" + name + "' in space '" + space.name() + "' is held by this"
                    + " thread; a process-owned acquisition would wait for it for ever. Release it first.");
        }
        // counted as ShmLockSpace.forProcess does, spelt out: no lambda on the hot path
        ThreadContext keeper = space.processHoldOpening();
        boolean taken = false;
        try {
            // a free word (no WAITERS: nobody queued, FAIR included) is taken with no clock read
            int flags = writeSide == null && mutex.tryFree(keeper.id) ? RobustMutex.ACQUIRED
                    : lockWaiting(me, keeper.id, Deadlines.read(deadlineNanos, timeout), timeout);
            taken = true;
            return new ProcessHeld(this, keeper, recordAcquisition(flags), (flags & RobustMutex.ACQUIRED_OWNER_DIED) != 0);
        } finally {
            if (!taken) {
                space.processHoldClosed();
            }
        }
    }

    /**
     * For a virtual caller ({@link VirtualCallers}), on its own thread: the word taken for the
     * keeper if it is free now (one CAS, no wait; a write lock never, its readers need a look),
     * as a process-owned hold; else null.
     */
    ProcessHeld takeFreeForProcess() {
        if (writeSide != null) {
            return null;
        }
        try {
            ThreadContext keeper = space.processHoldOpening();
            if (!mutex.tryFree(keeper.id)) {
                space.processHoldClosed();
                return null;
            }
            return new ProcessHeld(this, keeper, recordAcquisition(RobustMutex.ACQUIRED), false);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** For a virtual caller: {@link #acquireForProcess(Duration)} until {@code deadlineNanos}, on a waiter thread. */
    Held acquireForProcessUntil(long deadlineNanos, Duration timeout) {
        space.checkOpen();
        try {
            return acquireForProcess(space.thread(), deadlineNanos, timeout);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * For a virtual caller, on its own thread: a process-owned {@link #tryAcquire()}; a write lock
     * counts every reader inside (the caller holds no read hold: {@link VirtualCallers} refused the upgrade).
     */
    Optional<Held> tryAcquireForProcess() {
        space.checkOpen();
        try {
            ThreadContext keeper = space.processHoldOpening();
            boolean taken = false;
            try {
                int flags = mutex.tryLock(keeper);
                if (flags >= 0 && writeSide != null && writeSide.readersInside(ThreadContext.VIRTUAL)) {
                    giveUp(keeper, flags); // readers inside: a try never waits for them
                    return Optional.empty();
                }
                if (flags < 0) {
                    return Optional.empty();
                }
                taken = true;
                return Optional.of(new ProcessHeld(this, keeper, recordAcquisition(flags),
                        (flags & RobustMutex.ACQUIRED_OWNER_DIED) != 0));
            } finally {
                if (!taken) {
                    space.processHoldClosed();
                }
            }
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /** Whether this is the write lock of a read/write lock. */
    boolean isWriteLock() {
        return writeSide != null;
    }

    private Held acquireUntil(ThreadContext me, long deadlineNanos, Duration timeout) {
        int flags = lockWaiting(me, me.id, deadlineNanos, timeout); // a reentrant call finds the word ours
        if (flags == RobustMutex.ALREADY_OWNED) {
            return reenter(me);
        }
        return acquired(me, flags);
    }

    /**
     * {@link #lockOrThrow}, off the fast path: the wait of an acquisition that got the word is
     * recorded in the figures, and a timeout counted ({@link #failure}).
     */
    private int lockWaiting(ThreadContext me, int id, long deadlineNanos, Duration timeout) {
        if (figures == null) {
            return lockOrThrow(me, id, deadlineNanos, timeout);
        }
        long start = System.nanoTime();
        int flags = lockOrThrow(me, id, deadlineNanos, timeout);
        if (flags != RobustMutex.ALREADY_OWNED) {
            figures.waited(System.nanoTime() - start);
        }
        return flags;
    }

    /** Takes the word for participant {@code id} ({@link RobustMutex#lockAs}), {@code me} waiting. */
    private int lockOrThrow(ThreadContext me, int id, long deadlineNanos, Duration timeout) {
        if (writeSide != null && mutex.ownerId() != me.id) {
            writeSide.refuseUpgrade(me);
        }
        boolean adaptive = spinLimit == LockOptions.ADAPTIVE;
        int flags = mutex.lockAs(me, id, deadlineNanos, adaptive ? adaptiveSpins : spinLimit);
        if (flags >= 0 && (flags & RobustMutex.ACQUIRED_CONTENDED) != 0 && adaptive) {
            adapt(me, flags);
        }
        if (flags >= 0 && writeSide != null) {
            flags = drainOrRelease(me, flags, deadlineNanos);
        }
        if (flags < 0 && flags != RobustMutex.ALREADY_OWNED) {
            throw failure(flags, timeout);
        }
        return flags;
    }

    /** A write lock holding the word waits for the readers inside; on timeout or interrupt it lets go. */
    private int drainOrRelease(ThreadContext me, int flags, long deadlineNanos) {
        int drained = writeSide.readersLeft(me, deadlineNanos);
        if (drained == FutexSleep.WOKEN) {
            return flags;
        }
        giveUp(me, flags);
        return drained == FutexSleep.TIMED_OUT ? RobustMutex.TIMED_OUT : RobustMutex.INTERRUPTED;
    }

    private RuntimeException failure(int flags, Duration timeout) {
        if (flags == RobustMutex.TIMED_OUT) {
            if (figures != null) {
                figures.timedOut();
            }
            return WaitFailures.timedOut(timeout, "lock '" + name + "'", space, space.describeHolder(base));
        }
        return WaitFailures.interrupted("lock '" + name + "'", space);
    }

    /**
     * Releases a word this writer took but will not keep (readers still inside). If it took it
     * from a dead writer, the word goes back to "owner died": that news belongs to whoever
     * completes the next acquisition, and to the readers meanwhile, not to an attempt that failed.
     */
    private void giveUp(ThreadContext me, int flags) {
        if ((flags & RobustMutex.ACQUIRED_OWNER_DIED) != 0) {
            mutex.unlockStillAbandoned(me, wakeOnRelease);
        } else {
            mutex.unlock(me, wakeOnRelease);
        }
    }

    private void adapt(ThreadContext me, int flags) {
        int budget = adaptiveSpins;
        if ((flags & RobustMutex.ACQUIRED_SLEPT) != 0) {
            budget /= 2; // spinning did not pay: spin less
        } else {
            budget += (2 * me.lastSpins + 10 - budget) / 8; // it paid: track twice what it took
        }
        adaptiveSpins = Math.max(0, Math.min(MAX_ADAPTIVE_SPIN, budget));
    }

    /**
     * Bookkeeping of a fresh acquisition, done by the new owner; returns its fencing token. Kept
     * to a few plain stores: the token doubles as the acquisition count, and the holder's pid is
     * derived from its TID when listed.
     */
    private long recordAcquisition(int flags) {
        boolean ownerDied = (flags & RobustMutex.ACQUIRED_OWNER_DIED) != 0;
        long token = memory.getLong(base + FENCING_TOKEN_OFFSET) + 1;
        memory.putLong(base + FENCING_TOKEN_OFFSET, token);
        memory.putLong(base + HELD_SINCE_MILLIS_OFFSET, space.millis());
        if ((flags & RobustMutex.ACQUIRED_CONTENDED) != 0) {
            memory.putLong(base + CONTENDED_ACQUISITIONS_OFFSET, memory.getLong(base + CONTENDED_ACQUISITIONS_OFFSET) + 1);
        }
        if (ownerDied) {
            memory.putLong(base + OWNER_DIED_COUNT_OFFSET, memory.getLong(base + OWNER_DIED_COUNT_OFFSET) + 1);
            announceDeath(token - 1);
        }
        return token;
    }

    /**
     * Tells owner-death watchers ({@link OwnerDeathWatch}) that this acquirer found the owner
     * holding {@code deadToken} dead: they may have lost the kernel's single wake to us. The token
     * is written before the death word is bumped (a full fence), and the wake is the rare path.
     */
    private void announceDeath(long deadToken) {
        memory.putLongRelease(base + LockDescriptor.DEAD_OWNER_TOKEN_OFFSET, deadToken);
        memory.getAndAddInt(base + LockDescriptor.DEATHS_WORD_OFFSET, 1);
        space.kernel().futexWake(memory.addressOf(base + LockDescriptor.DEATHS_WORD_OFFSET), Integer.MAX_VALUE);
    }

    /** One more level for the owner {@code me}, counted in its own context ({@link ThreadContext#reenter}). */
    private Held reenter(ThreadContext me) {
        if (!me.reenter(base)) {
            throw new Error("maximum reentrant acquisitions exceeded for lock '" + name + "'");
        }
        return new ShmHeld(this, me, memory.getLong(base + FENCING_TOKEN_OFFSET), false);
    }

    /**
     * Releases the lock for its owner {@code me}, who closes its last open level, the acquisition
     * with fencing token {@code token}: the fast path of {@link ShmHeld#close()}, given values
     * rather than the {@code Held}, so that escape analysis can still remove a {@code Held} whose
     * close was inlined.
     */
    void releaseLast(ThreadContext me, long token) {
        space.checkIntact();
        try {
            if ((token & (LockStatistics.HOLD_SAMPLE_INTERVAL - 1)) == sampledTokenBits) {
                sampleHold();
            }
            mutex.unlock(me, wakeOnRelease);
            me.holds--;
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    /**
     * Releases one level of {@code held} (see {@link ShmHeld#close()}) when its fast path does not
     * apply: a close by another thread (refused), a second close (nothing), or a close while its
     * owner has re-entries open (one level less, or the release if this lock has none).
     */
    void release(ShmHeld held) {
        space.checkIntact();
        ThreadContext me = held.ownerIfCurrent();
        if (me == null || held.isClosed()) {
            releaseRefused(held, me);
            return;
        }
        held.markClosed();
        if (!me.leave(base)) {
            releaseLast(me, held.fencingToken());
        }
    }

    /**
     * Records how long the owner, about to release, held the lock: one acquisition in
     * {@link LockStatistics#HOLD_SAMPLE_INTERVAL} (by fencing token, the first included), from the
     * coarse clock the acquisition stamped into the slot.
     */
    private void sampleHold() {
        if (figures != null) {
            long heldMillis = space.millis() - memory.getLong(base + HELD_SINCE_MILLIS_OFFSET);
            figures.held(heldMillis < 0 || heldMillis > Long.MAX_VALUE / 1_000_000 ? 0 : heldMillis * 1_000_000);
        }
    }

    /** A second close by the owner is harmless; a close on another thread is refused. */
    private void releaseRefused(ShmHeld held, ThreadContext owner) {
        if (owner != null) {
            return; // closing twice is harmless
        }
        ThreadContext me = space.thread();
        String holder = space.describeHolder(base);
        throw new IllegalMonitorStateException("lock '" + name + "' in space '" + space.name()
                + "' cannot be released by thread " + Thread.currentThread().getName() + " (tid " + me.tid
                + "): it was acquired by tid " + held.ownerTid() + (holder.isEmpty() ? " and is not held now"
                : " and is now" + holder) + ". Release a lock on the thread that acquired it.");
    }

    /**
     * Releases a process-owned acquisition, on any thread, once; see {@link ProcessHeld#close()}.
     * The word must still name the keeper and the slot carry the hold's fencing token: otherwise
     * the hold was lost (its word reaped after a corruption, and maybe taken since, even by another
     * process-owned hold of this process), and nothing is released.
     */
    void releaseForProcess(ProcessHeld held) {
        if (!held.markClosed()) {
            return; // closed before: a second close does nothing
        }
        try {
            space.checkIntact();
            ThreadContext keeper = held.keeper();
            if (mutex.ownerId() != keeper.id || memory.getLong(base + FENCING_TOKEN_OFFSET) != held.fencingToken()) {
                throw new IllegalMonitorStateException("lock '" + name + "' in space '" + space.name()
                        + "' is no longer held by this process's acquisition (fencing token " + held.fencingToken()
                        + ")" + space.describeHolder(base) + "; nothing was released.");
            }
            if ((held.fencingToken() & (LockStatistics.HOLD_SAMPLE_INTERVAL - 1)) == sampledTokenBits) {
                sampleHold();
            }
            mutex.unlock(keeper, wakeOnRelease);
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        } finally {
            space.processHoldClosed();
        }
    }

    @Override
    public String toString() {
        return "NamedLock[" + space.name() + "/" + name + "]";
    }
}
