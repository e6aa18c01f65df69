package io.futexra.core;

import static io.futexra.core.LockDescriptor.LOCK_WORD_OFFSET;
import static io.futexra.core.LockDescriptor.WATCHERS_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

/**
 * A robust, process-shared mutex on one 32-bit futex word, owned by a participant (a thread, or
 * the process through its keeper): the word holds the owner's participant id (see
 * {@link Participants}), never a TID and never on a robust list.
 *
 * <p>Implementation overview. The word protocol is Drepper's "mutex3" ("Futexes Are Tricky",
 * 2011) with the kernel's robust-futex bits; owner death is learnt from the owner's <em>alive
 * word</em>, which the kernel marks when the owner's thread ends ({@link Participants}):
 * <pre>
 *            CAS 0 -&gt; id                          getAndSet 0; FUTEX_WAKE n if WAITERS was set
 *   UNLOCKED ------------------&gt; id ----------------------------------------------&gt; UNLOCKED
 *      ^                          |  waiter: CAS id -&gt; id|WAITERS, WAITERS on the owner's
 *      |                          v  alive word, futex_waitv [word, alive word]
 *      |                    id|WAITERS ---- owner dies: the kernel marks its alive word and
 *      |                          |          wakes one waiter; whoever finds the id dead reaps:
 *      |                          v          CAS id.. -&gt; OWNER_DIED|(WAITERS)
 *      |                  OWNER_DIED|WAITERS (or OWNER_DIED: nobody was waiting)
 *      +------------------ next acquirer: CAS (no id) -&gt; id ------------+
 *                          (reports "previous owner died", clears the bit)
 * </pre>
 * <ul>
 * <li>{@code UNLOCKED = 0}: must be 0, a new space is zero-filled.</li>
 * <li>The word is accessed only atomically: CAS to acquire (the linearization point of
 *     {@code lock}), {@code getAndSet} to release (the linearization point of {@code unlock});
 *     both are full fences, so every write the owner made to the slot's other fields
 *     happens-before the next owner's acquisition, across processes.</li>
 * <li>The fast path (uncontended lock and unlock) is one CAS and one getAndSet on the word: no
 *     system call, no list, no other shared word.</li>
 * <li>A waiter sets {@code WAITERS} before sleeping, so the releaser must wake it; and sets
 *     {@code WAITERS} on the owner's alive word, so the kernel wakes a sleeper at the owner's
 *     death. It sleeps only while both words hold what it saw ({@code EAGAIN} otherwise): no
 *     wake-up is lost.</li>
 * <li>Reaping a dead owner's word is what the kernel itself did to robust words: afterwards the
 *     word reads "abandoned" ({@code OWNER_DIED}, no id), the state the acquirers, readers and
 *     watchers already handle; a reaper also passes the kernel's single death wake on to every
 *     sleeper of the dead participant ({@link Participants#passOnDeath}).</li>
 * <li>A thread that has slept takes the word as {@code id|WAITERS} even if it was the last
 *     waiter: others may still sleep. The cost is an occasional needless {@code FUTEX_WAKE}; a
 *     benign race.</li>
 * <li>Every sleeper is armed on the current owner's alive word, or will be woken to re-arm when
 *     the owner changes: a release wakes one sleeper, and the new owner that takes the word with
 *     {@code WAITERS} while others are counted asleep wakes them all
 *     ({@link #announceNewOwner}), and a waiter that slept and leaves without the word
 *     (timeout, interrupt) wakes them all too, for it may have been the one woken
 *     ({@link #leaveWithoutTheWord}), so the death of whoever holds the word always reaches a
 *     sleeper.</li>
 * <li>Before sleeping, a waiter spins up to the object's spin limit with
 *     {@link Thread#onSpinWait()}: a hand-off to a running thread then costs under a microsecond
 *     instead of a futex wake (tens of microseconds, mostly waking an idle CPU).</li>
 * <li>A process-owned acquisition takes the word for the keeper participant ({@link Keeper})
 *     with the same CAS, the calling thread doing any waiting ({@link #lockAs}): the keeper's
 *     alive word stays locked for the process's life, so the kernel marks it, and the word reads
 *     its owner dead, exactly when the process dies. Releasing it is the same getAndSet, on
 *     whichever thread closes the hold.</li>
 * <li>A word holding an id that names nobody alive (a dead owner, or garbage written into the
 *     file) is reaped like a dead owner's: corruption there breaks this lock, nothing else.</li>
 * </ul>
 */
class RobustMutex {

    static final int UNLOCKED = 0; // must be 0: a new space is zero-filled
    static final int WAITERS = 0x8000_0000;
    static final int OWNER_DIED = 0x4000_0000;
    /** The owner field: a participant id in object words, a TID in alive words and records. */
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
    final Participants participants;
    final int base;
    final int word;
    final long wordAddress;

    RobustMutex(SharedMemory memory, Kernel kernel, Participants participants, int base) {
        this.memory = memory;
        this.kernel = kernel;
        this.participants = participants;
        this.base = base;
        this.word = base + LOCK_WORD_OFFSET;
        this.wordAddress = memory.addressOf(word);
    }

    /** The owner's participant id, or 0 when unlocked or abandoned by a dead owner. */
    int ownerId() {
        return memory.getIntVolatile(word) & TID_MASK;
    }

    /** Takes the word if it is free now (reaping a dead owner's first); never sleeps. */
    int tryLock(ThreadContext me) {
        int w = reapIfDead(memory.getIntVolatile(word));
        int mine = me.id | (w & WAITERS);
        if ((w & TID_MASK) == 0 && memory.compareAndSetInt(word, w, mine)) {
            announceNewOwner(w, mine);
            return (w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : ACQUIRED;
        }
        return BUSY;
    }

    /**
     * If {@code w} (a value of the word) names an owner that is dead, reaps the word; returns the
     * word's value after that (or {@code w}).
     */
    int reapIfDead(int w) {
        int owner = w & TID_MASK;
        if (owner == 0 || participants.isAlive(owner)) {
            return w;
        }
        reap(w);
        return memory.getIntVolatile(word);
    }

    /**
     * The owner named in {@code w} is dead: marks the word abandoned, as the kernel marked robust
     * words, and wakes every sleeper of the word and of the dead participant's alive word.
     */
    void reap(int w) {
        participants.passOnDeath(w & TID_MASK);
        if (memory.compareAndSetInt(word, w, (w & WAITERS) | OWNER_DIED) && (w & WAITERS) != 0) {
            kernel.futexWake(wordAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * Takes the word, sleeping while another thread owns it.
     *
     * @param deadlineNanos absolute {@link System#nanoTime()}, or {@link FutexSleep#FOREVER}
     * @param spinLimit how many times to re-check with {@link Thread#onSpinWait()} before sleeping
     * @return acquisition flags, or {@link #TIMED_OUT} / {@link #INTERRUPTED}
     */
    int lock(ThreadContext me, long deadlineNanos, int spinLimit) {
        if (memory.compareAndSetInt(word, UNLOCKED, me.id)) { // won the CAS: we own it
            return ACQUIRED;
        }
        return lockAs(me, me.id, deadlineNanos, spinLimit);
    }

    /**
     * Takes the word for participant {@code id} if it is {@code UNLOCKED} now: one CAS, the fast
     * path of every policy (a FAIR word with anyone queued carries {@code WAITERS}).
     */
    boolean tryFree(int id) {
        return memory.compareAndSetInt(word, UNLOCKED, id); // won the CAS: we own it
    }

    /**
     * Takes the word for participant {@code id}, {@code me} (the calling thread) doing the waiting:
     * {@code me.id} for the thread itself, the keeper's id for a process-owned acquisition, which
     * is then one CAS like a thread's ({@link ShmNamedLock#acquireForProcess}). A word already
     * holding {@code id} is waited for unless {@code id} is {@code me.id}: the process's other
     * holds are released by other threads; the caller has checked that {@code me} does not own it.
     *
     * <p>It looks at the word before any CAS: most callers come here once a fast path's CAS of a
     * free word ({@link #tryFree}, {@link #lock}) has failed, and a second blind CAS would only
     * pull the contended cache line away from its owner once more.
     *
     * @return as {@link #lock}; {@link #ALREADY_OWNED} only if {@code me} owns the word
     */
    int lockAs(ThreadContext me, int id, long deadlineNanos, int spinLimit) {
        boolean slept = false;
        int spins = spinLimit;
        me.lastSpins = 0;
        while (true) {
            int w = memory.getIntVolatile(word);
            int owner = w & TID_MASK;
            if (owner == me.id) {
                return ALREADY_OWNED;
            }
            if (owner == 0) {
                // free, or abandoned by a dead owner: take it, keeping WAITERS for those still asleep
                int mine = id | (w & WAITERS) | (slept ? WAITERS : 0);
                if (memory.compareAndSetInt(word, w, mine)) {
                    announceNewOwner(w, mine);
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
            int outcome = sleepOnWordAndOwner(me, w | WAITERS, deadlineNanos);
            slept = true;
            if (outcome == FutexSleep.TIMED_OUT) {
                leaveWithoutTheWord();
                return TIMED_OUT;
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                leaveWithoutTheWord();
                return INTERRUPTED;
            }
        }
    }

    /**
     * A waiter that slept leaves without the word (timeout, interrupt): wakes every sleeper still
     * counted, so each re-arms on the current owner's alive word. The leaver may have been the
     * one sleeper a release woke, the one that would have taken the word with {@code WAITERS} and
     * re-armed the rest ({@link #announceNewOwner}); without it, a newcomer that took the free
     * word on the fast path (no {@code WAITERS}, nobody re-armed) and then died would wake nobody:
     * the others sleep armed on the former owner, who lives. Only leavers pay; sleepers woken
     * needlessly look and sleep again.
     */
    private void leaveWithoutTheWord() {
        if (memory.getIntVolatile(base + SLEEPERS_OFFSET) > 0) {
            kernel.futexWake(wordAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * Sleeps while the word holds {@code seen} (its owner's id, {@code WAITERS} set) and its owner
     * lives, counted in the slot's sleepers; reaps the word instead if the owner is dead.
     *
     * @return a {@link FutexSleep} result ({@link FutexSleep#WOKEN} after a reap: look again)
     */
    int sleepOnWordAndOwner(ThreadContext me, int seen, long deadlineNanos) {
        if (!participants.sleepOnOwner(seen & TID_MASK, me.sleep, 1)) {
            reap(seen);
            return FutexSleep.WOKEN;
        }
        me.sleep.setWord(0, wordAddress, seen);
        return Sleepers.sleep(memory, base + SLEEPERS_OFFSET, me.sleep, 2, deadlineNanos);
    }

    /**
     * Moves ownership from the caller, which owns the word, to participant {@code to} (the
     * keeper's): one CAS of the word, keeping {@code WAITERS}.
     */
    void transfer(int to) {
        int w;
        int now;
        do {
            w = memory.getIntVolatile(word);
            now = to | (w & WAITERS);
        } while (!memory.compareAndSetInt(word, w, now));
        announceNewOwner(w, now);
    }

    /**
     * A new owner took the word, replacing {@code before} with {@code now}: wakes every sleeper of
     * the word, so that each re-arms its sleep on the new owner's alive word, when some may be
     * armed on a former owner's:
     * <ul>
     * <li>owner-death watchers ({@code WATCHERS} counted in the slot) when the word carried
     *     {@code WAITERS}: a watcher asleep on a free word would never learn who took it;</li>
     * <li>waiters ({@code SLEEPERS} counted in the slot, the new owner's own count already
     *     lowered) when the new owner takes the word with {@code WAITERS}: a release wakes one
     *     sleeper, so the others still sleep on the former owner's alive word; without this the
     *     new owner's death (which the kernel signals on its alive word only) would wake none of
     *     them, and they would sleep for ever.</li>
     * </ul>
     * Sleepers woken needlessly look, find the word held and sleep again. Only the slow path
     * pays: the fast path's CAS takes a word without {@code WAITERS} and never comes here, and
     * with one waiter (two parties) its count is already lowered when it takes the word, so no
     * wake is made.
     */
    private void announceNewOwner(int before, int now) {
        if ((before & WAITERS) != 0 && memory.getIntVolatile(base + WATCHERS_OFFSET) > 0
                || (now & WAITERS) != 0 && memory.getIntVolatile(base + SLEEPERS_OFFSET) > 0) {
            kernel.futexWake(wordAddress, Integer.MAX_VALUE);
        }
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
        int old = memory.getAndSetInt(word, releasedValue);
        if ((old & WAITERS) != 0) {
            kernel.futexWake(wordAddress, wakeCount);
        }
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
}
