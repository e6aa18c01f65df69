package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.RECORD_LENGTH;
import static io.futexra.core.LockSpaceLayout.ROBUST_NEXT_OFFSET;
import static io.futexra.core.LockSpaceLayout.SLEEPERS_OFFSET;

/**
 * A slot's array of robust per-holder records: how objects with several holders at once
 * (semaphore permits, read holds) make every hold robust.
 *
 * <p>A record is laid out like a slot's lock: a futex word holding the holder's TID at +0 and a
 * robust-list node at +32 ({@code futex_offset} -32), so a holder links its record into its
 * thread's robust list exactly as it would a lock. When the holder dies, the kernel marks the
 * record {@code OWNER_DIED} (TID cleared) and, if {@code WAITERS} is set, wakes one waiter: the
 * hold is returned by the kernel itself, with no scan and no timeout.
 *
 * <pre>
 *   0  int  word: holder TID | WAITERS | OWNER_DIED     (0: free)
 *   4  int  depth: reentrant holds by the holder        (holder only)
 *   8  int  holder pid                                  (holder only)
 *  16  long held since, wall-clock millis               (holder only)
 *  24  long robust prev,  32 long robust next           (holder's robust list)
 * </pre>
 *
 * <p>Claiming a record is a CAS of its word from "no TID" to the claimer's TID, keeping
 * {@code WAITERS}; releasing is a getAndSet to 0 and a {@code FUTEX_WAKE} of one waiter if
 * {@code WAITERS} was set. A thread waiting for a record (a semaphore acquirer) or for records to
 * empty (a writer draining readers) sets {@code WAITERS} on each busy record and sleeps on all of
 * them at once with {@code futex_waitv}: a release or a death wakes it.
 */
final class HoldRecords {

    static final int DEPTH_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int SINCE_OFFSET = 16;

    /** Result of {@link #claim}: the record index in the low bits, this flag if its last holder died. */
    static final int CLAIMED_OWNER_DIED = 1 << 16;
    static final int INDEX_MASK = 0xffff;
    static final int NONE_FREE = -1;

    private final SharedMemory memory;
    private final Kernel kernel;
    private final int slotBase;
    private final int count;

    HoldRecords(SharedMemory memory, Kernel kernel, int slotBase, int count) {
        this.memory = memory;
        this.kernel = kernel;
        this.slotBase = slotBase;
        this.count = count;
    }

    int count() {
        return count;
    }

    /** Byte offset of record {@code i}'s word. */
    int word(int i) {
        return slotBase + LockSpaceLayout.recordOffset(i);
    }

    /** Claims a free record for {@code me}, starting the search at a thread-dependent record. */
    int claim(ThreadContext me, int pid, long nowMillis) {
        return claim(me, pid, nowMillis, false);
    }

    /**
     * Claims a free record; {@code slept}: the claimer has slept waiting for one, so others may
     * still sleep on this record, and it takes it with {@code WAITERS} set (as {@link RobustMutex}
     * does): its release, or the kernel at its death, must wake the next. Without that, a sleeper
     * woken by a release claimed the record with {@code WAITERS} clear, and its own release woke
     * nobody while another waiter slept on with a permit free (a lost wake-up).
     */
    int claim(ThreadContext me, int pid, long nowMillis, boolean slept) {
        int mark = slept ? RobustMutex.WAITERS : 0;
        me.robustList.checkRoom(1);
        for (int k = 0; k < count; k++) {
            int i = Math.floorMod(me.tid + k, count);
            int word = word(i);
            int w = memory.getIntVolatile(word);
            if ((w & RobustMutex.TID_MASK) != 0) {
                continue;
            }
            RobustList list = me.robustList;
            list.setPending(memory.addressOf(word + ROBUST_NEXT_OFFSET));
            if (memory.compareAndSetInt(word, w, me.tid | (w & RobustMutex.WAITERS) | mark)) {
                list.enqueue(memory, word);
                list.clearPending();
                memory.putInt(word + DEPTH_OFFSET, 1);
                memory.putInt(word + PID_OFFSET, pid);
                memory.putLong(word + SINCE_OFFSET, nowMillis);
                return i | ((w & RobustMutex.OWNER_DIED) != 0 ? CLAIMED_OWNER_DIED : 0);
            }
            list.clearPending();
        }
        return NONE_FREE;
    }

    /** Releases record {@code i}, which {@code me} holds. */
    void release(ThreadContext me, int i) {
        int word = word(i);
        memory.putInt(word + DEPTH_OFFSET, 0);
        memory.putInt(word + PID_OFFSET, 0);
        RobustList list = me.robustList;
        list.setPending(memory.addressOf(word + ROBUST_NEXT_OFFSET));
        list.dequeue(memory, word);
        int old = memory.getAndSetInt(word, 0);
        // WAITERS, or anyone asleep on the slot's records: a sleeper sleeps on every record held
        // when it looked, so a freed record must wake them (a stale count costs a syscall). Wake
        // every one, not one: a woken waiter may claim another record (or none), and the others
        // would sleep on with nobody left to wake them. Each re-checks and sets WAITERS again.
        if ((old & RobustMutex.WAITERS) != 0 || memory.getIntVolatile(slotBase + SLEEPERS_OFFSET) > 0) {
            kernel.futexWake(memory.addressOf(word), Integer.MAX_VALUE);
        }
        list.clearPending();
    }

    /**
     * Wakes the sleepers of every free record that still has {@code WAITERS} set: after an owner's
     * death the kernel wakes one waiter per dead record, and if that waiter took another free
     * record, the others would sleep on. Called by a waiter that claimed a record after sleeping.
     */
    void passOnWakes() {
        for (int i = 0; i < count; i++) {
            int word = word(i);
            int w = memory.getIntVolatile(word);
            if ((w & RobustMutex.TID_MASK) == 0 && (w & RobustMutex.WAITERS) != 0
                    && memory.compareAndSetInt(word, w, w & ~RobustMutex.WAITERS)) {
                kernel.futexWake(memory.addressOf(word), Integer.MAX_VALUE); // they set it again if they sleep
            }
        }
    }

    /** The record {@code tid} holds, or -1. */
    int heldBy(int tid) {
        for (int i = 0; i < count; i++) {
            if ((memory.getIntVolatile(word(i)) & RobustMutex.TID_MASK) == tid) {
                return i;
            }
        }
        return -1;
    }

    int depth(int i) {
        return memory.getInt(word(i) + DEPTH_OFFSET);
    }

    void setDepth(int i, int depth) {
        memory.putInt(word(i) + DEPTH_OFFSET, depth);
    }

    /** How many records are held now. */
    int heldCount() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if ((memory.getIntVolatile(word(i)) & RobustMutex.TID_MASK) != 0) {
                n++;
            }
        }
        return n;
    }

    /** A held record's holder pid (for listings), or 0. */
    int pidOf(int i) {
        return memory.getInt(word(i) + PID_OFFSET);
    }

    /**
     * Sleeps until some record may be free: returns at once ({@link FutexSleep#WOKEN}) if one is
     * free now.
     */
    int sleepUntilAnyFree(ThreadContext me, long deadlineNanos) {
        return sleepOnHeld(me, deadlineNanos, true, 0);
    }

    /**
     * Sleeps until the records held by threads other than {@code exceptTid} may all be free.
     *
     * @return {@link FutexSleep#WOKEN}, {@link FutexSleep#TIMED_OUT}, {@link FutexSleep#INTERRUPTED},
     *     or -1 if none is held now
     */
    int sleepUntilAllFree(ThreadContext me, long deadlineNanos, int exceptTid) {
        return sleepOnHeld(me, deadlineNanos, false, exceptTid);
    }

    private int sleepOnHeld(ThreadContext me, long deadlineNanos, boolean anyFree, int exceptTid) {
        FutexSleep sleep = me.sleep;
        int words = 0;
        for (int i = 0; i < count; i++) {
            int word = word(i);
            int w = memory.getIntVolatile(word);
            int tid = w & RobustMutex.TID_MASK;
            if (tid == 0) {
                if (anyFree) {
                    return FutexSleep.WOKEN; // free now: go and claim it
                }
                continue;
            }
            if (tid == exceptTid) {
                continue;
            }
            if ((w & RobustMutex.WAITERS) == 0 && !memory.compareAndSetInt(word, w, w | RobustMutex.WAITERS)) {
                return FutexSleep.WOKEN; // it changed under us: look again
            }
            // WAITERS is set, so its release or its holder's death wakes us
            sleep.setWord(words++, memory.addressOf(word), w | RobustMutex.WAITERS);
        }
        if (words == 0) {
            return -1;
        }
        memory.getAndAddInt(slotBase + SLEEPERS_OFFSET, 1);
        try {
            return sleep.sleepOnWords(words, deadlineNanos);
        } finally {
            memory.getAndAddInt(slotBase + SLEEPERS_OFFSET, -1);
        }
    }
}
