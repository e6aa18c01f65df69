package io.futexra.core;

import static io.futexra.core.HoldRecordDescriptor.DEPTH_OFFSET;

import static io.futexra.core.HoldRecordDescriptor.RECORDS_CHANGED_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

/**
 * A slot's array of per-holder records: how objects with several holders at once (semaphore
 * permits, read holds, FAIR queue places) keep every hold recoverable.
 *
 * <p>A record's word holds its holder's participant id (see {@link Participants}), like a lock
 * word: nothing of it is on a robust list. A record whose holder is dead counts as free; the
 * first scan that finds it <em>reaps</em> it (CAS to {@code OWNER_DIED}, no id, as the kernel
 * marked robust words in layout 1), so the next claimer is told that a holder died. The records'
 * bytes: {@link HoldRecordDescriptor}.
 *
 * <p>Waiting. A thread waiting for a record (a semaphore acquirer, a FAIR newcomer with the queue
 * full) or for records to empty (a writer draining readers) counts itself in the slot's
 * {@code SLEEPERS} <em>before</em> it reads the slot's {@code RECORDS_CHANGED} word and scans
 * the records, then sleeps with {@code futex_waitv} on [RECORDS_CHANGED, the alive words of the
 * holders it saw]. A release stores 0 into its record <em>before</em> it reads {@code SLEEPERS};
 * if anyone sleeps it bumps {@code RECORDS_CHANGED} and wakes all its sleepers. Both sides' first
 * step is a full fence (getAndAdd, getAndSet), so either the releaser sees the sleeper counted or
 * the sleeper's scan sees the record free (Dekker): no lost wake-up. A holder's death wakes
 * through its alive word. Alive words are deduplicated; a slot has at most 64 records, so one
 * wait needs at most 65 words.
 */
final class HoldRecords {

    /** Result of {@link #claim}: the record index in the low bits, this flag if its last holder died. */
    static final int CLAIMED_OWNER_DIED = 1 << 16;
    static final int INDEX_MASK = 0xffff;
    static final int NONE_FREE = -1;
    /** Result of {@link #sleepUntilAllFree}: no record is held by another. */
    static final int NONE_HELD = -1;

    private final SharedMemory memory;
    private final Kernel kernel;
    private final Participants participants;
    private final int slotBase;
    private final int count;
    private final int changed;

    HoldRecords(SharedMemory memory, Kernel kernel, Participants participants, int slotBase, int count) {
        this.memory = memory;
        this.kernel = kernel;
        this.participants = participants;
        this.slotBase = slotBase;
        this.count = count;
        this.changed = slotBase + RECORDS_CHANGED_OFFSET;
    }

    int count() {
        return count;
    }

    /** Byte offset of record {@code i}'s word. */
    int word(int i) {
        return slotBase + HoldRecordDescriptor.recordOffset(i);
    }

    /**
     * Record {@code i}'s word, reaped first if its holder is dead: a value with no id is free
     * ({@code OWNER_DIED} set if its last holder died).
     */
    int look(int i) {
        int word = word(i);
        int w = memory.getIntVolatile(word);
        int holder = w & RobustMutex.TID_MASK;
        if (holder == 0 || participants.isAlive(holder)) {
            return w;
        }
        participants.passOnDeath(holder);
        memory.compareAndSetInt(word, w, RobustMutex.OWNER_DIED); // lost: another reaper, or a claimer
        return memory.getIntVolatile(word);
    }

    /** Claims a free record for {@code me}, starting the search at a participant-dependent record. */
    int claim(ThreadContext me) {
        for (int k = 0; k < count; k++) {
            int i = Math.floorMod(me.id + k, count);
            int w = look(i);
            if ((w & RobustMutex.TID_MASK) == 0 && memory.compareAndSetInt(word(i), w, me.id)) {
                memory.putInt(word(i) + DEPTH_OFFSET, 1);
                return i | ((w & RobustMutex.OWNER_DIED) != 0 ? CLAIMED_OWNER_DIED : 0);
            }
        }
        return NONE_FREE;
    }

    /** Releases record {@code i}, which {@code me} holds, waking the slot's sleepers if any. */
    void release(int i) {
        int word = word(i);
        memory.putInt(word + DEPTH_OFFSET, 0);
        memory.getAndSetInt(word, 0); // before reading SLEEPERS: see the class comment
        if (memory.getIntVolatile(slotBase + SLEEPERS_OFFSET) > 0) {
            memory.getAndAddInt(changed, 1);
            kernel.futexWake(memory.addressOf(changed), Integer.MAX_VALUE);
        }
    }

    int depth(int i) {
        return memory.getInt(word(i) + DEPTH_OFFSET);
    }

    void setDepth(int i, int depth) {
        memory.putInt(word(i) + DEPTH_OFFSET, depth);
    }

    /** How many records live holders hold now (read only: dead holders' records count as free). */
    int heldCount() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            int holder = memory.getIntVolatile(word(i)) & RobustMutex.TID_MASK;
            if (holder != 0 && participants.isAlive(holder)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Sleeps until some record may be free: returns at once ({@link FutexSleep#WOKEN}) if one is
     * free now.
     */
    int sleepUntilAnyFree(ThreadContext me, long deadlineNanos) {
        return sleepOnHeld(me, deadlineNanos, true, 0);
    }

    /**
     * Sleeps until the records held by participants other than {@code exceptId} may all be free.
     *
     * @return {@link FutexSleep#WOKEN}, {@link FutexSleep#TIMED_OUT}, {@link FutexSleep#INTERRUPTED},
     *     or {@link #NONE_HELD} if none is held now
     */
    int sleepUntilAllFree(ThreadContext me, long deadlineNanos, int exceptId) {
        if (noneHeldExcept(exceptId)) {
            return NONE_HELD; // the usual case, read only: a writer with no reader inside
        }
        return sleepOnHeld(me, deadlineNanos, false, exceptId);
    }

    /** Whether every record is free or held by {@code exceptId} (reads only: a dead holder counts as held here). */
    private boolean noneHeldExcept(int exceptId) {
        for (int i = 0; i < count; i++) {
            int holder = memory.getIntVolatile(word(i)) & RobustMutex.TID_MASK;
            if (holder != 0 && holder != exceptId) {
                return false;
            }
        }
        return true;
    }

    private int sleepOnHeld(ThreadContext me, long deadlineNanos, boolean anyFree, int exceptId) {
        FutexSleep sleep = me.sleep;
        // counted before the scan: see the class comment
        try (Sleepers counted = Sleepers.around(sleep).count(memory, slotBase + SLEEPERS_OFFSET)) {
            int seen = memory.getIntVolatile(changed);
            int[] owners = new int[count + 1]; // owners set as sleep words 1..words-1 (slow path only)
            int words = 1;
            int held = 0;
            for (int i = 0; i < count; i++) {
                int holder = look(i) & RobustMutex.TID_MASK;
                if (holder == 0) {
                    if (anyFree) {
                        return FutexSleep.WOKEN; // free now: go and claim it
                    }
                    continue;
                }
                if (holder == exceptId) {
                    continue;
                }
                held++;
                if (!contains(owners, words, holder)) {
                    if (!participants.sleepOnOwner(holder, sleep, words)) {
                        return FutexSleep.WOKEN; // died just now: look again
                    }
                    owners[words++] = holder;
                }
            }
            if (held == 0) {
                return NONE_HELD;
            }
            sleep.setWord(0, memory.addressOf(changed), seen);
            return counted.sleepOnWords(words, deadlineNanos);
        }
    }

    private static boolean contains(int[] owners, int words, int holder) {
        for (int k = 1; k < words; k++) {
            if (owners[k] == holder) {
                return true;
            }
        }
        return false;
    }
}
