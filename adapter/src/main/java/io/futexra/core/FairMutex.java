package io.futexra.core;

import static io.futexra.core.FairLockDescriptor.ARRIVALS_OFFSET;
import static io.futexra.core.FairLockDescriptor.TURN_OFFSET;
import static io.futexra.core.HoldRecordDescriptor.SEQ_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

/**
 * A {@link RobustMutex} that serves waiters in arrival order, host-wide: the {@code FAIR}
 * policy. Nobody barges past a waiter.
 *
 * <p>Implementation overview. Waiters queue in the slot's {@link HoldRecords}: a waiter claims a
 * record (its participant id: the record counts as free once the waiter is dead), stamps it with an arrival number from
 * the slot's arrival counter (0 means "not stamped yet"), and keeps {@code WAITERS} set on the
 * word while anyone is queued. Mutual exclusion is still a CAS on the word, as in
 * {@link RobustMutex}; fairness is one rule about <em>who may try</em> it:
 * <ul>
 * <li>A newcomer takes the word only if it is exactly 0: no owner and nobody queued.</li>
 * <li>A queued waiter takes a free word only if its record has the lowest arrival number among the
 *     live, stamped records; everyone else goes back to sleep.</li>
 * <li>A release leaves the word free ({@code WAITERS} still set if anyone queues) and wakes every
 *     sleeper, so the oldest waiter sees it (the convoy that is the paper's price of fairness).</li>
 * </ul>
 * A free word with a queue always reads {@code WAITERS}, so waiting on the word alone would suffer
 * ABA (a waiter that saw it free, missed a take and a release, and slept on the same value would
 * miss the release's wake). So every release also bumps a <em>turn</em> word, and a waiter, having
 * read the turn before looking at the word, sleeps on both with {@code futex_waitv}: the turn for
 * releases, the lock word and its owner's alive word for an owner's death (see
 * {@link Participants}).
 *
 * <p>The word is never handed from thread to thread, so no hand-off can race with a waiter's
 * timeout or death: a waiter that gives up or dies simply stops being the oldest (its record is
 * free by itself or by its death), and if the word is free at that moment the leaver wakes the
 * rest. After an owner's death the kernel wakes one sleeper; it reaps the word and, seeing it
 * abandoned, wakes
 * all, and the oldest takes the word and is told the owner died.
 *
 * <p>Benign race: a waiter that has claimed a record but not yet stamped it is not yet "queued";
 * an older-stamped or newly free word may go to another in that window of a few instructions.
 * At most 64 threads queue at once; more wait for a free record, in no particular order.
 */
final class FairMutex extends RobustMutex {

    private final HoldRecords queue;
    private final int arrivals;
    private final int turn;
    private final long turnAddress;

    FairMutex(SharedMemory memory, Kernel kernel, Participants participants, int base) {
        super(memory, kernel, participants, base);
        this.queue = new HoldRecords(memory, kernel, participants, base, HoldRecordDescriptor.RECORD_COUNT);
        this.arrivals = base + ARRIVALS_OFFSET;
        this.turn = base + TURN_OFFSET;
        this.turnAddress = memory.addressOf(turn);
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
        int record;
        while ((record = queue.claim(me)) == HoldRecords.NONE_FREE) {
            int outcome = sleepOnWord(me, memory.getIntVolatile(turn), memory.getIntVolatile(word), 0, deadlineNanos);
            if (outcome != FutexSleep.WOKEN) {
                return outcome == FutexSleep.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
        }
        record &= HoldRecords.INDEX_MASK;
        int seq;
        do {
            seq = memory.getAndAddInt(arrivals, 1) + 1;
        } while (seq == 0);
        memory.putIntRelease(queue.word(record) + SEQ_OFFSET, seq);
        int result = waitInLine(me, record, deadlineNanos);
        leaveQueue(record);
        if (result < 0 && (memory.getIntVolatile(word) & TID_MASK) == 0) {
            nextTurn(); // we may have been next: let the new oldest see the free word
        }
        return result;
    }

    private int waitInLine(ThreadContext me, int record, long deadlineNanos) {
        while (true) {
            int t = memory.getIntVolatile(turn); // before the word: a release after this changes it
            int w = memory.getIntVolatile(word);
            int next = 0; // the oldest waiter, whose death must wake us while the word is free
            if ((w & TID_MASK) == 0) {
                int oldest = oldestWaiter();
                if (oldest == record) {
                    int mine = me.id | (othersQueued(record) ? WAITERS : 0);
                    if (memory.compareAndSetInt(word, w, mine)) { // won the CAS: we own it
                        return ACQUIRED_CONTENDED | ACQUIRED_SLEPT
                                | ((w & OWNER_DIED) != 0 ? ACQUIRED_OWNER_DIED : 0);
                    }
                    continue;
                }
                if ((w & OWNER_DIED) != 0) {
                    nextTurn(); // its reaper may have woken only us: the oldest must see it
                }
                next = oldest < 0 ? 0 : memory.getIntVolatile(queue.word(oldest)) & TID_MASK;
            }
            int outcome = sleepOnWord(me, t, w, next, deadlineNanos);
            if (outcome != FutexSleep.WOKEN) {
                return outcome == FutexSleep.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
        }
    }

    /**
     * Sets WAITERS (a queue exists) and sleeps while the turn and the word hold what we saw, and
     * while the word's owner lives, or, with the word free, the oldest waiter {@code next} (their
     * alive word is the third: a free word whose next in line died would otherwise wait for ever).
     * Reaps a dead owner's word; after the death of either, starts a new turn.
     */
    private int sleepOnWord(ThreadContext me, int seenTurn, int seen, int next, long deadlineNanos) {
        if ((seen & WAITERS) == 0 && !memory.compareAndSetInt(word, seen, seen | WAITERS)) {
            return FutexSleep.WOKEN;
        }
        int words = 2;
        int owner = seen & TID_MASK;
        int watched = owner != 0 ? owner : next;
        if (watched != 0) {
            if (!participants.sleepOnOwner(watched, me.sleep, 2)) {
                if (owner != 0) {
                    reap(seen | WAITERS);
                }
                nextTurn(); // everyone looks again: the oldest must see it abandoned, or who is oldest now
                return FutexSleep.WOKEN;
            }
            words = 3;
        }
        me.sleep.setWord(0, turnAddress, seenTurn);
        me.sleep.setWord(1, wordAddress, seen | WAITERS);
        int outcome = Sleepers.sleep(memory, base + SLEEPERS_OFFSET, me.sleep, words, deadlineNanos);
        return outcome;
    }

    /** A new turn: every waiter wakes and looks at the word again. */
    private void nextTurn() {
        memory.getAndAddInt(turn, 1);
        kernel.futexWake(turnAddress, Integer.MAX_VALUE);
    }

    /**
     * Frees our queue record (no wake: a waiter for a free record sleeps on the turn, which the
     * next release bumps).
     */
    private void leaveQueue(int record) {
        int recordWord = queue.word(record);
        memory.putInt(recordWord + SEQ_OFFSET, 0);
        memory.getAndSetInt(recordWord, 0);
    }

    @Override
    void unlock(ThreadContext me, int wakeCount) {
        int old;
        boolean queued;
        do {
            old = memory.getIntVolatile(word);
            queued = othersQueued(-1);
        } while (!memory.compareAndSetInt(word, old, queued ? WAITERS : UNLOCKED));
        if (queued || (old & WAITERS) != 0) {
            nextTurn(); // the oldest waiter must see it free
        }
    }

    /** The live, stamped queue record with the lowest arrival number, or -1. */
    private int oldestWaiter() {
        int best = -1;
        int bestSeq = 0;
        for (int i = 0; i < queue.count(); i++) {
            int recordWord = queue.word(i);
            if ((queue.look(i) & TID_MASK) == 0) {
                continue; // free, or its waiter died
            }
            int seq = memory.getIntAcquire(recordWord + SEQ_OFFSET);
            if (seq != 0 && (best < 0 || seq - bestSeq < 0)) {
                best = i;
                bestSeq = seq;
            }
        }
        return best;
    }

    /** Whether any record but {@code mine} is claimed (stamped or not). */
    private boolean othersQueued(int mine) {
        for (int i = 0; i < queue.count(); i++) {
            if (i != mine && (queue.look(i) & TID_MASK) != 0) {
                return true;
            }
        }
        return false;
    }
}
