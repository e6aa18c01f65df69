package io.futexra.core;

/**
 * One thread's participation in one space (see {@link Participants}): the id its words hold, and
 * the kernel state of the thread ({@link KernelThread}) the algorithms need at hand.
 *
 * <p>Confined to its thread. The keeper's (process-owned holds, see {@link Keeper}) counts its
 * holds in {@link #processHolds} instead, which any thread of the process updates.
 *
 * <p>A virtual thread has no participant: {@link ShmLockSpace#thread()} gives it {@link #VIRTUAL},
 * which names nobody and is never written into a word; each caller of {@code thread()} that meets
 * it hands the call to {@link VirtualCallers} before it touches shared memory.
 */
final class ThreadContext {

    /** What a virtual thread gets from {@link ShmLockSpace#thread()}: compared by identity, never used as an owner. */
    static final ThreadContext VIRTUAL = new ThreadContext();

    final int tid;
    /** What this participant's words hold: never 0. */
    final int id;
    final RobustList robustList;
    final FutexSleep sleep;
    final Participants participants;
    /** Its alive word in the process's alive file, and its private two-page mapping of that word's page. */
    final int word;
    final SharedMemory view;
    final long pages;
    /** Spins the last contended acquisition used, for adaptive spinning. */
    int lastSpins;
    /** Lock words and hold records this participant holds now (not counting reentry): 0 lets it retire. */
    int holds;
    /**
     * Re-entries this thread has open (acquisitions of a lock it already held, not yet closed),
     * over every lock of the space: while 0, closing a hold releases its lock with no look-up.
     */
    int reentries;
    /** Open re-entries per lock, by the lock's slot offset; null until the thread first re-enters. */
    private java.util.Map<Integer, Integer> reentriesByLock;
    /** The keeper's: the process-owned holds open in this space, which keep it from retiring; null for a thread. */
    ProcessHolds processHolds;
    /** Set when the space handle that made it closes. */
    volatile boolean spaceClosed;

    ThreadContext(KernelThread thread, int id, Participants participants, int word, SharedMemory view, long pages) {
        this.tid = thread.tid;
        this.id = id;
        this.robustList = thread.robustList;
        this.sleep = thread.sleep;
        this.participants = participants;
        this.word = word;
        this.view = view;
        this.pages = pages;
    }

    private ThreadContext() {
        this.tid = 0;
        this.id = 0;
        this.robustList = null;
        this.sleep = null;
        this.participants = null;
        this.word = -1;
        this.view = null;
        this.pages = 0;
    }

    /** Counts one more level of the lock at {@code base}, which this thread holds; false at the maximum. */
    boolean reenter(int base) {
        if (reentriesByLock == null) {
            reentriesByLock = new java.util.HashMap<>();
        }
        int levels = reentriesByLock.getOrDefault(base, 0);
        if (levels == Integer.MAX_VALUE - 1) {
            return false;
        }
        reentriesByLock.put(base, levels + 1);
        reentries++;
        return true;
    }

    /** Closes one re-entry of the lock at {@code base} if it has any open; false if none (release it). */
    boolean leave(int base) {
        Integer levels = reentries == 0 ? null : reentriesByLock.get(base);
        if (levels == null) {
            return false;
        }
        if (levels == 1) {
            reentriesByLock.remove(base);
        } else {
            reentriesByLock.put(base, levels - 1);
        }
        reentries--;
        return true;
    }

    boolean retirable() {
        return spaceClosed && holds == 0 && (processHolds == null || processHolds.none());
    }
}
