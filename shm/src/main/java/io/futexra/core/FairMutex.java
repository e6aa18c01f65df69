package io.futexra.core;

import static io.futexra.core.FairLockDescriptor.ARRIVALS_OFFSET;
import static io.futexra.core.FairLockDescriptor.TURN_OFFSET;
import static io.futexra.core.HoldRecordDescriptor.RECORDS_CHANGED_OFFSET;
import static io.futexra.core.HoldRecordDescriptor.SEQ_OFFSET;
import static io.futexra.core.HoldRecordDescriptor.WAKE_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

/**
 * A {@link RobustMutex} that serves waiters in arrival order, host-wide: the {@code FAIR}
 * policy. Nobody barges past a waiter.
 *
 * <p>Implementation overview. Waiters queue in the slot's {@link HoldRecords}: a waiter claims a
 * record (its participant id: the record counts as free once the waiter is dead), stamps it with an
 * arrival number from the slot's arrival counter (0 means "not stamped yet"); right after the
 * claim it sets {@code WAITERS} on the word, which then stays set while anyone is queued. Mutual
 * exclusion is still a CAS on the word, as in {@link RobustMutex}; fairness is one rule about
 * <em>who may try</em> it:
 * <ul>
 * <li>A newcomer takes the word only if it is exactly 0: no owner and nobody queued.</li>
 * <li>A queued waiter takes a free word only if its record has the lowest arrival number among the
 *     live, stamped records (it is the <em>oldest</em>); everyone else waits on.</li>
 * <li>A release with {@code WAITERS} clear is one CAS (nobody queued who relies on it). Otherwise it
 *     frees the word keeping {@code WAITERS}, <em>then</em> looks at the queue: if anyone queues it
 *     wakes the oldest waiter, only it, and only if it sleeps; if nobody does, it clears
 *     {@code WAITERS} with a CAS from exactly "free, {@code WAITERS}".</li>
 * </ul>
 * Who spins: the oldest waiter (the next in line), up to the lock's spin limit per wake, while the
 * holder runs; a hand-off to it then costs no system call. Everyone further back sleeps: on two
 * CPUs a spinning crowd starves the holder (tried: letting the second oldest spin too, and waking
 * it early, made 4 processes slower in our runs, not faster).
 *
 * <p>Sleeping. Each queue record has a <em>wake word</em> at +8: {@code AWAKE} (0) or
 * {@code ASLEEP}. A waiter sets its wake word with a full fence, <em>then</em> looks at the word and the queue again and,
 * if it is still not its turn, sleeps with {@code futex_waitv} on what that look saw: [the turn
 * word, the lock word, its wake word, the alive word of the owner or, with the word free, of the
 * oldest waiter]. A releaser frees the word (a full-fence getAndSet), <em>then</em> reads the wake words
 * (Dekker): either the waiter's look sees the release, or the releaser sees it asleep and, if it
 * is the oldest, wakes it (resetting the wake word, so the wait cannot miss it). A look made
 * before the wake word was set must never be slept on: the word may have been released and
 * taken back to the very value seen (ABA), by a releaser that found the waiter awake.
 *
 * <p>Keeping WAITERS. A waiter claims its record (a full fence) <em>before</em> it reads the word
 * to set {@code WAITERS}, and from then on may sleep on any value it reads that carries
 * {@code WAITERS}. So a step that clears {@code WAITERS} must look at the queue <em>after</em> it
 * changed the word, when any such waiter's claim is visible to it:
 * <ul>
 * <li>the releaser frees the word keeping {@code WAITERS}, looks, and clears it only by a CAS from
 *     exactly "free, {@code WAITERS}" if nobody queues (a waiter that queued after that look is
 *     awake, and finds the word free, or taken by a newcomer whose word it marks before it sleeps);</li>
 * <li>the oldest waiter, having seen nobody else queued, takes the word without {@code WAITERS}
 *     (so its release is the one-CAS fast path), then looks again, and sets {@code WAITERS} if
 *     anyone has queued since.</li>
 * </ul>
 * Neither step may decide from a look made <em>before</em> the change: a waiter that claimed its
 * record just after such a look, read {@code WAITERS} still set, and slept on it, would be left
 * asleep on a word then released by the fast path — the last waiter of a burst until its timeout,
 * with nothing held ({@code BurstTailTest} stages it).
 *
 * <p>The turn word is the broadcast for rare events (a dead owner or oldest waiter, a waiter that
 * leaves while the word is free, a record freed while a newcomer waits for one): bumping it wakes
 * everyone, and each looks again. The lock word alone would not do for this
 * broadcast (ABA: a free word with a queue always reads {@code WAITERS}).
 *
 * <p>Re-arming. A waiter that sleeps while the word is held is armed on its owner's alive word;
 * when that owner releases, the next owner is someone else, whose death the kernel signals on
 * <em>its</em> alive word only. So a release with a queue, finding anyone counted asleep in the
 * slot's {@code SLEEPERS}, wakes every sleeper of the word (one {@code FUTEX_WAKE}, which also
 * serves the oldest): each looks again, finds the word free or held by the new owner, and sleeps
 * armed on the oldest waiter (the next owner) or on the owner. The invariant, as in
 * {@link RobustMutex}: every sleeper is armed on the current owner's alive word (or, the word
 * free, on the oldest waiter's), or will be woken to re-arm when that changes. Without it, an
 * owner killed right after taking the word over would leave the queue asleep for ever. The count
 * is read after the release's CAS and raised before a sleeper's last look (Dekker), and with one
 * waiter (two parties) the one wake is all the release makes, as before.
 *
 * <p>The word is never handed from thread to thread, so no hand-off can race with a waiter's
 * timeout or death: a waiter that gives up or dies simply stops being the oldest (its record is
 * free by itself or by its death), and if the word is free at that moment the leaver wakes the
 * rest. After an owner's death the kernel wakes one sleeper; it reaps the word and, seeing it
 * abandoned, wakes all, and the oldest takes the word and is told the owner died.
 *
 * <p>Queue full. At most 64 threads queue at once; a 65th counts itself in the slot's
 * {@code RECORDS_CHANGED} word (for this kind: how many wait for a free record) <em>before</em>
 * it tries to claim again, then sleeps on the turn; a leaver frees its record <em>before</em> it
 * reads that count, and bumps the turn if it is not 0 (Dekker again). They get records in no
 * particular order.
 *
 * <p>Benign races: a waiter that has claimed a record but not yet stamped it is not yet "queued";
 * an older-stamped or newly free word may go to another in that window of a few instructions. A
 * waiter that becomes the oldest because an older one left while the word is held sleeps on
 * until the release, which wakes it: that hand-off costs a wake-up, nothing else.
 */
final class FairMutex extends RobustMutex {

    /** Wake word values. */
    private static final int AWAKE = 0; // must be 0: a fresh record is zero-filled
    private static final int ASLEEP = 1;

    /** {@link #order} result: the oldest live stamped record + 1 in the low bits. */
    private static final int RECORD_BITS = 0xffff;
    /** {@link #order} result: a record other than the caller's is claimed (stamped or not). */
    private static final int OTHERS_QUEUED = 1 << 16;

    private final HoldRecords queue;
    private final int arrivals;
    private final int turn;
    private final long turnAddress;
    /** How many wait for a free queue record (the queue is full). */
    private final int recordWaiters;

    FairMutex(SharedMemory memory, Kernel kernel, Participants participants, int base) {
        super(memory, kernel, participants, base);
        this.queue = new HoldRecords(memory, kernel, participants, base, HoldRecordDescriptor.RECORD_COUNT);
        this.arrivals = base + ARRIVALS_OFFSET;
        this.turn = base + TURN_OFFSET;
        this.turnAddress = memory.addressOf(turn);
        this.recordWaiters = base + RECORDS_CHANGED_OFFSET;
    }

    @Override
    int tryLock(ThreadContext me) {
        int w = memory.getIntVolatile(word);
        if ((w & TID_MASK) != 0 && !participants.isAlive(w & TID_MASK)) {
            reap(w);
            nextTurn(); // the oldest waiter must see it abandoned
            w = memory.getIntVolatile(word);
        }
        // a newcomer may take it only with nobody queued: WAITERS clear
        if ((w & (TID_MASK | WAITERS)) == 0 && memory.compareAndSetInt(word, w, me.id)) {
            return (w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : ACQUIRED;
        }
        return BUSY;
    }

    @Override
    int lock(ThreadContext me, long deadlineNanos, int spinLimit) {
        if ((memory.getIntVolatile(word) & TID_MASK) == me.id) {
            return ALREADY_OWNED;
        }
        int fast = tryLock(me);
        if (fast != BUSY) {
            return fast;
        }
        int record = claimRecord(me, deadlineNanos);
        if (record < 0) {
            return record;
        }
        int seq;
        do {
            seq = memory.getAndAddInt(arrivals, 1) + 1;
        } while (seq == 0);
        memory.putIntRelease(queue.word(record) + SEQ_OFFSET, seq);
        int result = waitInLine(me, record, deadlineNanos, spinLimit);
        leaveQueue(record);
        if (result < 0 && (memory.getIntVolatile(word) & TID_MASK) == 0) {
            nextTurn(); // we may have been next: let the new oldest see the free word
        }
        return result;
    }

    /**
     * The queue's places are the waiting thread's, so a FAIR word is taken as {@code me} in its
     * turn and then handed to {@code id} with one CAS ({@link #transfer}).
     */
    @Override
    int lockAs(ThreadContext me, int id, long deadlineNanos, int spinLimit) {
        int flags = lock(me, deadlineNanos, spinLimit);
        if (flags >= 0 && id != me.id) {
            transfer(id);
        }
        return flags;
    }

    /** A free queue record, claimed for {@code me}; or {@link #TIMED_OUT} / {@link #INTERRUPTED}. */
    private int claimRecord(ThreadContext me, long deadlineNanos) {
        int record = queue.claim(me);
        while (record == HoldRecords.NONE_FREE) {
            int t = memory.getIntVolatile(turn);
            memory.getAndAddInt(recordWaiters, 1); // counted before the claim: see "Queue full"
            int outcome;
            try {
                record = queue.claim(me);
                if (record != HoldRecords.NONE_FREE) {
                    break;
                }
                outcome = sleepInLine(me, t, memory.getIntVolatile(word), 0, -1, deadlineNanos);
            } finally {
                memory.getAndAddInt(recordWaiters, -1);
            }
            if (outcome != FutexSleep.WOKEN) {
                return outcome == FutexSleep.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
            record = queue.claim(me);
        }
        record &= HoldRecords.INDEX_MASK;
        memory.putIntRelease(queue.word(record) + WAKE_OFFSET, AWAKE); // a dead waiter's may read ASLEEP
        int w;
        do { // queued from now on: newcomers must see WAITERS, and the release must look at the queue
            w = memory.getIntVolatile(word);
        } while ((w & WAITERS) == 0 && !memory.compareAndSetInt(word, w, w | WAITERS));
        return record;
    }

    private int waitInLine(ThreadContext me, int record, long deadlineNanos, int spinLimit) {
        int wake = queue.word(record) + WAKE_OFFSET;
        int spins = spinLimit;
        boolean slept = false;
        boolean armed = false; // our wake word reads asleep: what we read from now on may be slept on
        boolean first = false; // the oldest at the last look at the queue
        boolean looked = false;
        while (true) {
            int t = memory.getIntVolatile(turn); // before the word: a broadcast after this changes it
            int w = memory.getIntVolatile(word);
            int next = 0; // the oldest waiter, whose death must wake us while the word is free
            if ((w & TID_MASK) == 0) {
                int order = order(record);
                int oldest = oldest(order);
                if (oldest == record) {
                    int mine = me.id | ((order & OTHERS_QUEUED) != 0 ? WAITERS : 0);
                    if (memory.compareAndSetInt(word, w, mine)) { // won the CAS: we own it
                        if (mine == me.id && (order(record) & OTHERS_QUEUED) != 0) {
                            // one queued since our look: see "Keeping WAITERS" (fails only if it set it)
                            memory.compareAndSetInt(word, mine, mine | WAITERS);
                        }
                        return ACQUIRED_CONTENDED | (slept ? ACQUIRED_SLEPT : 0)
                                | ((w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : 0);
                    }
                    continue;
                }
                if ((w & OWNER_DIED) != 0) {
                    nextTurn(); // its reaper may have woken only us: the oldest must see it
                }
                next = oldest < 0 ? 0 : memory.getIntVolatile(queue.word(oldest)) & TID_MASK;
                looked = true;
            } else if (!looked) {
                first = oldest(order(record)) == record;
                looked = true;
            }
            if (!armed && first && spins > 0) {
                spins--;
                Thread.onSpinWait(); // next in line: the holder may release within microseconds
                continue;
            }
            if (!armed) {
                // asleep first, then look again: a releaser frees the word before it reads our wake
                // word, so either it sees us asleep or our next look sees its release (Dekker)
                memory.getAndSetInt(wake, ASLEEP);
                armed = true;
                continue;
            }
            int outcome = sleepInLine(me, t, w, next, wake, deadlineNanos);
            memory.putIntRelease(wake, AWAKE);
            armed = false;
            slept = true;
            looked = false;
            spins = spinLimit;
            if (outcome != FutexSleep.WOKEN) {
                return outcome == FutexSleep.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
        }
    }

    /**
     * Sets WAITERS (a queue exists) and sleeps while the turn and the word hold what we saw, our
     * wake word (at {@code wake}, if &gt;= 0) still reads {@code ASLEEP} as we stored it (never
     * a re-read: a releaser that reset it already woke us, and the word may have come back to
     * what we saw), and the word's owner lives — or, with
     * the word free, the oldest waiter {@code next} (a free word whose next in line died would
     * otherwise wait for ever). Reaps a dead owner's word; after the death of either, starts a new
     * turn.
     */
    private int sleepInLine(ThreadContext me, int seenTurn, int seen, int next, int wake, long deadlineNanos) {
        if ((seen & WAITERS) == 0 && !memory.compareAndSetInt(word, seen, seen | WAITERS)) {
            return FutexSleep.WOKEN;
        }
        FutexSleep sleep = me.sleep;
        sleep.setWord(0, turnAddress, seenTurn);
        sleep.setWord(1, wordAddress, seen | WAITERS);
        int words = 2;
        if (wake >= 0) {
            sleep.setWord(words++, memory.addressOf(wake), ASLEEP);
        }
        int owner = seen & TID_MASK;
        int watched = owner != 0 ? owner : next;
        if (watched != 0) {
            if (!participants.sleepOnOwner(watched, sleep, words)) {
                if (owner != 0) {
                    reap(seen | WAITERS);
                }
                nextTurn(); // everyone looks again: the oldest must see it abandoned, or who is oldest now
                return FutexSleep.WOKEN;
            }
            words++;
        }
        return Sleepers.sleep(memory, base + SLEEPERS_OFFSET, sleep, words, deadlineNanos);
    }

    /** A new turn: every waiter wakes and looks at the word again. */
    private void nextTurn() {
        memory.getAndAddInt(turn, 1);
        kernel.futexWake(turnAddress, Integer.MAX_VALUE);
    }

    /** Frees our queue record; bumps the turn if a newcomer waits for a record (see "Queue full"). */
    private void leaveQueue(int record) {
        int recordWord = queue.word(record);
        memory.putInt(recordWord + SEQ_OFFSET, 0);
        memory.putInt(recordWord + WAKE_OFFSET, AWAKE);
        memory.getAndSetInt(recordWord, 0); // before reading the count
        if (memory.getIntVolatile(recordWaiters) > 0) {
            nextTurn();
        }
    }

    @Override
    void unlock(ThreadContext me, int wakeCount) {
        if (memory.compareAndSetInt(word, me.id, UNLOCKED)) {
            return; // WAITERS clear: nobody queued relies on this release
        }
        memory.getAndSetInt(word, WAITERS); // free, WAITERS kept: look at the queue only after this
        int order = order(-1);
        if ((order & OTHERS_QUEUED) == 0) {
            memory.compareAndSetInt(word, WAITERS, UNLOCKED); // nobody queued: newcomers may take it again
            return;
        }
        wakeNextInLine(oldest(order)); // after freeing the word: see "Sleeping"
    }

    /**
     * Wakes the oldest waiter if it sleeps (see "Sleeping"); and, if anyone else may sleep (the
     * slot's {@code SLEEPERS}, read after the release's CAS), every sleeper of the word, so that
     * each re-arms on the next owner's alive word (see "Re-arming"): then one wake on the word
     * serves the oldest too, its wake word only reset.
     */
    private void wakeNextInLine(int oldest) {
        boolean anyAsleep = memory.getIntVolatile(base + SLEEPERS_OFFSET) > 0;
        if (oldest >= 0) { // else nobody stamped yet: a waiter about to stamp finds the word free itself
            int wake = queue.word(oldest) + WAKE_OFFSET;
            if (memory.getIntVolatile(wake) == ASLEEP && memory.compareAndSetInt(wake, ASLEEP, AWAKE)
                    && !anyAsleep) {
                kernel.futexWake(memory.addressOf(wake), 1);
            }
        }
        if (anyAsleep) {
            kernel.futexWake(wordAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * One pass over the queue: the oldest live, stamped record, and whether any record but
     * {@code mine} is claimed (see {@link #RECORD_BITS}, {@link #OTHERS_QUEUED}).
     */
    private int order(int mine) {
        int best = -1;
        int bestSeq = 0;
        boolean others = false;
        for (int i = 0; i < queue.count(); i++) {
            if ((queue.look(i) & TID_MASK) == 0) {
                continue; // free, or its waiter died
            }
            others |= i != mine;
            int seq = memory.getIntAcquire(queue.word(i) + SEQ_OFFSET);
            if (seq != 0 && (best < 0 || seq - bestSeq < 0)) { // 0: not stamped yet
                best = i;
                bestSeq = seq;
            }
        }
        return (best + 1) | (others ? OTHERS_QUEUED : 0);
    }

    private static int oldest(int order) {
        return (order & RECORD_BITS) - 1;
    }
}
