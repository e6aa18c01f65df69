package io.futexra.core;

/**
 * The write side of a {@link ShmReadWriteLock}: what its writer does beyond a plain
 * {@link ShmNamedLock} (which keeps the word, reentrancy, tokens and process ownership for both).
 * Writer preference, after the furwock of Franke, Russell and Kirkwood, made robust:
 * <ol>
 * <li>Before: a thread that holds the read lock is refused the write lock (an upgrade would wait
 *     for itself for ever).</li>
 * <li>The writer takes the writer word like a mutex. Holding it keeps new readers out (they back
 *     out, see {@link ReaderSet}), so a stream of readers cannot starve it.</li>
 * <li>Then it waits for the readers already inside to leave ({@link #readersLeft}): usually one
 *     read of the reader mask; else it sleeps on the records and their holders' alive words.</li>
 * <li>Its release wakes every waiter of the word, readers included.</li>
 * </ol>
 * A writer that gives up waiting for readers (timeout, interrupt) releases the word; see
 * {@link ShmNamedLock}'s {@code giveUp}.
 */
final class WriteSide {

    private final ShmLockSpace space;
    private final String name;
    private final ReaderSet readers;

    WriteSide(ShmLockSpace space, String name, ReaderSet readers) {
        this.space = space;
        this.name = name;
        this.readers = readers;
    }

    /**
     * Steps 1 to 3 when no reader is about, the fast path: a mask of 0 before the CAS means this
     * thread holds no read record (step 1), and a mask of 0 after it means nobody is inside
     * (step 3, the Dekker read). Returns whether the word is now {@code me}'s with no reader
     * inside; if a reader announced itself in between, the word is let go again (nobody saw this
     * writer as an owner worth reporting) and the caller takes the long way.
     */
    boolean takeIfNoReaders(ThreadContext me, RobustMutex word, int wakeOnRelease) {
        if (!readers.noneAnnounced() || !word.tryFree(me.id)) {
            return false;
        }
        if (readers.noneAnnounced()) {
            return true;
        }
        word.unlock(me, wakeOnRelease);
        return false;
    }

    /** Step 1: asking for the write lock while holding the read lock would wait for ourselves. */
    void refuseUpgrade(ThreadContext me) {
        if (readers.heldBy(me.id) >= 0) {
            throw new IllegalStateException("this thread holds the read lock of '" + name + "' in space '"
                    + space.name() + "' and asks for its write lock: that would wait for itself for ever."
                    + " Release the read lock first (upgrades are not supported; downgrades are).");
        }
    }

    /** Whether readers other than {@code me} are inside now; by a writer that holds the word (a try never waits). */
    boolean readersInside(ThreadContext me) {
        return readers.anyInside(me.id);
    }

    /**
     * Step 3, by a writer that holds the word: waits until the readers inside have left.
     *
     * @return {@link FutexSleep#WOKEN} when none is left, or {@link FutexSleep#TIMED_OUT} /
     *     {@link FutexSleep#INTERRUPTED}
     */
    int readersLeft(ThreadContext me, long deadlineNanos) {
        while (readers.anyInside(me.id)) {
            int outcome = readers.sleepUntilAllFree(me, deadlineNanos, me.id);
            if (outcome == HoldRecords.NONE_HELD) {
                return FutexSleep.WOKEN; // no reader left
            }
            if (outcome != FutexSleep.WOKEN) {
                return outcome;
            }
        }
        return FutexSleep.WOKEN;
    }
}
