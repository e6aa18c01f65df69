package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.LOCK_WORD_OFFSET;
import static io.futexra.core.LockSpaceLayout.SLEEPERS_OFFSET;

/**
 * A robust, process-shared mutex on one 32-bit futex word, owned by a thread: the word holds the
 * owner's kernel TID, and the word's node is linked into that thread's kernel robust list while
 * held.
 *
 * <p>Implementation overview. The word protocol is Drepper's "mutex3" ("Futexes Are Tricky",
 * 2011) with the kernel's robust-futex bits (Franke, Russell, Kirkwood, OLS 2002, for the
 * user-space fast path; kernel {@code robust-futex-ABI.rst} for death):
 * <pre>
 *            CAS 0 -&gt; tid                         getAndSet 0; FUTEX_WAKE 1 if WAITERS was set
 *   UNLOCKED ------------------&gt; tid ---------------------------------------------&gt; UNLOCKED
 *      ^                          |  waiter: CAS tid -&gt; tid|WAITERS, FUTEX_WAIT
 *      |                          v
 *      |                    tid|WAITERS ---- owner dies: kernel ----&gt; OWNER_DIED|WAITERS
 *      |                                     writes, wakes one             |
 *      |   owner dies, nobody waiting: kernel writes OWNER_DIED            |
 *      +------------------ next acquirer: CAS (0 tid bits) -&gt; tid ----------+
 *                          (reports "previous owner died", clears the bit)
 * </pre>
 * <ul>
 * <li>{@code UNLOCKED = 0}: must be 0, a new space is zero-filled.</li>
 * <li>The word is accessed only atomically: CAS to acquire (the linearization point of
 *     {@code lock}), {@code getAndSet(0)} to release (the linearization point of
 *     {@code unlock}); both are full fences, so every write the owner made to the slot's other
 *     fields happens-before the next owner's acquisition, across processes.</li>
 * <li>A waiter sets {@code WAITERS} before sleeping, so the releaser must wake it. The kernel
 *     sleeps only if the word still holds the value the waiter set ({@code EAGAIN} otherwise), so
 *     no wake-up is lost.</li>
 * <li>A thread that has slept takes the word as {@code tid|WAITERS} even if it was the last
 *     waiter: others may still sleep, and the kernel's single wake on an owner's death must chain
 *     on. The cost is an occasional needless {@code FUTEX_WAKE}; a benign race.</li>
 * <li>The fast path (uncontended lock and unlock) makes no system call: a CAS, a getAndSet and
 *     the robust-list bookkeeping, which touches only the slot and the thread's list head.</li>
 * <li>Before sleeping, a waiter spins up to the object's spin limit with
 *     {@link Thread#onSpinWait()}: a hand-off to a running thread then costs under a microsecond
 *     instead of a futex wake (~50 µs here, mostly waking an idle CPU).</li>
 * </ul>
 */
class RobustMutex {

    static final int UNLOCKED = 0; // must be 0: a new space is zero-filled
    static final int WAITERS = 0x8000_0000;
    static final int OWNER_DIED = 0x4000_0000;
    static final int TID_MASK = 0x3fff_ffff;

    /** Flags of a successful acquisition (results &gt;= 0). */
    static final int ACQUIRED = 0;
    static final int ACQUIRED_OWNER_DIED = 1;
    static final int ACQUIRED_CONTENDED = 2;
    /** The acquirer slept in the kernel at least once (its spin budget did not suffice). */
    static final int ACQUIRED_SLEPT = 4;
    /** Failures (results &lt; 0). */
    static final int TIMED_OUT = -1;
    static final int INTERRUPTED = -2;
    static final int BUSY = -3;
    /** The caller already owns the word (a reentrant acquisition); nothing changed. */
    static final int ALREADY_OWNED = -4;

    final SharedMemory memory;
    final Kernel kernel;
    final int base;
    final int word;
    final long wordAddress;

    RobustMutex(SharedMemory memory, Kernel kernel, int base) {
        this.memory = memory;
        this.kernel = kernel;
        this.base = base;
        this.word = base + LOCK_WORD_OFFSET;
        this.wordAddress = memory.addressOf(word);
    }

    /** The owner's TID, or 0 when unlocked or abandoned by a dead owner. */
    int ownerTid() {
        return memory.getIntVolatile(word) & TID_MASK;
    }

    /** Whether the last owner died holding it and nobody has acquired it since. */
    boolean isAbandoned() {
        int w = memory.getIntVolatile(word);
        return (w & OWNER_DIED) != 0 && (w & TID_MASK) == 0;
    }

    /** Takes the word if it is free now; never sleeps. */
    int tryLock(ThreadContext me) {
        RobustList list = me.robustList;
        list.checkRoom(1);
        list.setPending(nodeAddress());
        int w = memory.getIntVolatile(word);
        if ((w & TID_MASK) == 0 && memory.compareAndSetInt(word, w, me.tid | (w & WAITERS))) {
            list.enqueue(memory, base);
            list.clearPending();
            return (w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : ACQUIRED;
        }
        list.clearPending();
        return BUSY;
    }

    /**
     * Takes the word, sleeping while another thread owns it.
     *
     * @param deadlineNanos absolute {@link System#nanoTime()}, or {@link FutexSleep#FOREVER}
     * @param spinLimit how many times to re-check with {@link Thread#onSpinWait()} before sleeping
     * @return acquisition flags, or {@link #TIMED_OUT} / {@link #INTERRUPTED}
     */
    int lock(ThreadContext me, long deadlineNanos, int spinLimit) {
        RobustList list = me.robustList;
        list.checkRoom(1); // the kernel could not release a node past its walk limit
        list.setPending(nodeAddress()); // from here a death is examined by the kernel
        if (memory.compareAndSetInt(word, UNLOCKED, me.tid)) { // won the CAS: we own it
            list.enqueue(memory, base);
            return ACQUIRED; // pending stays, stale but harmless: see RobustList
        }
        int result = lockContended(me, deadlineNanos, spinLimit);
        list.clearPending();
        return result;
    }

    private int lockContended(ThreadContext me, long deadlineNanos, int spinLimit) {
        boolean slept = false;
        int spins = spinLimit;
        me.lastSpins = 0;
        while (true) {
            int w = memory.getIntVolatile(word);
            if ((w & TID_MASK) == me.tid) {
                return ALREADY_OWNED;
            }
            if ((w & TID_MASK) == 0) {
                // free, or abandoned by a dead owner: take it, keeping WAITERS for those still asleep
                int mine = me.tid | (w & WAITERS) | (slept ? WAITERS : 0);
                if (memory.compareAndSetInt(word, w, mine)) {
                    me.robustList.enqueue(memory, base);
                    // contended only if it had to wait: a free word that merely carries WAITERS
                    // (kept by an owner-death watcher, or left by a past sleeper) is not contention
                    boolean waited = slept || me.lastSpins > 0;
                    return (waited ? ACQUIRED_CONTENDED : 0) | (slept ? ACQUIRED_SLEPT : 0)
                            | ((w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : 0);
                }
                continue;
            }
            if (spins > 0) {
                spins--;
                me.lastSpins++;
                Thread.onSpinWait();
                continue;
            }
            if ((w & WAITERS) == 0 && !memory.compareAndSetInt(word, w, w | WAITERS)) {
                continue; // the word changed: look again
            }
            // WAITERS is set before sleeping, so the releaser must wake us
            memory.getAndAddInt(base + SLEEPERS_OFFSET, 1);
            int outcome = me.sleep.sleep(wordAddress, w | WAITERS, deadlineNanos);
            memory.getAndAddInt(base + SLEEPERS_OFFSET, -1);
            slept = true;
            if (outcome == FutexSleep.TIMED_OUT) {
                return TIMED_OUT;
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                return INTERRUPTED;
            }
        }
    }

    /**
     * Moves ownership from thread {@code from} (the caller, which owns the word) to {@code to}
     * (the keeper): the word takes {@code to}'s TID and the node moves to {@code to}'s list. Both
     * lists name the node pending throughout, so a death at any step is recovered by whichever
     * list's owner the word names. The caller holds the keeper's monitor.
     */
    void transfer(ThreadContext from, ThreadContext to) {
        long node = nodeAddress();
        to.robustList.checkRoom(1);
        to.robustList.setPending(node);
        from.robustList.setPending(node);
        from.robustList.dequeue(memory, base);
        int w;
        do {
            w = memory.getIntVolatile(word);
        } while (!memory.compareAndSetInt(word, w, to.tid | (w & WAITERS)));
        to.robustList.enqueue(memory, base);
        from.robustList.clearPending();
        to.robustList.clearPending();
    }

    /** Releases the word, waking one sleeper; the caller has checked that {@code me} owns it. */
    void unlock(ThreadContext me) {
        unlock(me, 1);
    }

    /**
     * Releases the word, waking up to {@code wakeCount} sleepers if any sleep (a reader/writer
     * lock wakes every reader waiting for its writer).
     */
    void unlock(ThreadContext me, int wakeCount) {
        release(me, wakeCount, UNLOCKED);
    }

    /**
     * Gives back a word taken from a dead owner ({@link #ACQUIRED_OWNER_DIED}) by an acquisition
     * that did not complete (a writer that gave up waiting for readers): the word returns to
     * {@code OWNER_DIED}, so the next acquirer, and readers meanwhile, are still told. Only for
     * GREEDY words (write locks are).
     */
    void unlockStillAbandoned(ThreadContext me, int wakeCount) {
        release(me, wakeCount, OWNER_DIED);
    }

    private void release(ThreadContext me, int wakeCount, int releasedValue) {
        RobustList list = me.robustList;
        list.setPending(nodeAddress()); // a death from here to clearPending is still recovered
        list.dequeue(memory, base);
        int old = memory.getAndSetInt(word, releasedValue);
        if ((old & WAITERS) != 0) {
            kernel.futexWake(wordAddress, wakeCount);
            list.clearPending();
        } // else pending stays, stale but harmless: see RobustList
    }

    /** Wakes every sleeper: passes on the kernel's single wake after an owner's death. */
    void wakeAll() {
        kernel.futexWake(wordAddress, Integer.MAX_VALUE);
    }

    /** The word itself, for waiters that wait for it without taking it (readers). */
    int wordValue() {
        return memory.getIntVolatile(word);
    }

    /** Sets {@code WAITERS} on {@code seen}; false if the word no longer holds {@code seen}. */
    boolean markWaiters(int seen) {
        return (seen & WAITERS) != 0 || memory.compareAndSetInt(word, seen, seen | WAITERS);
    }

    long wordAddress() {
        return wordAddress;
    }

    long nodeAddress() {
        return memory.addressOf(base + LockSpaceLayout.ROBUST_NEXT_OFFSET);
    }
}
