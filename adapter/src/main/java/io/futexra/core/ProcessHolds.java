package io.futexra.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the process-owned holds (locks, read holds, permits owned by the keeper participant, see
 * {@link Keeper}) open in one space file, and keeps the process's keeper thread and clock alive
 * while there is one: the keeper thread's end would make the kernel mark its alive word, and every
 * hold naming it would read as its owner's death.
 *
 * <p>One atomic add per hold opened and one per hold closed; only the transitions between none
 * and some take the {@link ProcessContext} monitor, to retain or release it once. A transition
 * reconciles under that monitor with the count as it is then, not as the caller saw it, so
 * concurrent transitions (0 to 1 here, 1 to 0 there) leave it retained exactly when holds are
 * open; and a hold is counted before its word or record names the keeper, so the keeper is
 * retained whenever a word does (a space handle, while open, retains the process as well).
 */
final class ProcessHolds {

    private final ProcessContext process;
    private final AtomicInteger open = new AtomicInteger();
    /** Whether this count retains the process now; guarded by {@link #process}. */
    private boolean retaining;

    ProcessHolds(ProcessContext process) {
        this.process = process;
    }

    /** A hold is being opened: counted before it is taken. */
    void opened() {
        if (open.getAndIncrement() == 0) {
            reconcile();
        }
    }

    /** A hold closed (or an attempt counted by {@link #opened()} failed). */
    void closed() {
        if (open.decrementAndGet() == 0) {
            reconcile();
        }
    }

    /** Whether no process-owned hold is open: the keeper's participant may retire. */
    boolean none() {
        return open.get() == 0;
    }

    private void reconcile() {
        synchronized (process) {
            boolean some = open.get() > 0;
            if (some != retaining) {
                retaining = some;
                if (some) {
                    process.retain();
                } else {
                    process.release();
                }
            }
        }
    }
}
