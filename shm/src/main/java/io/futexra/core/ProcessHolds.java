package io.futexra.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the process-owned holds (locks, read holds, permits owned by the keeper participant, see
 * {@link Keeper}) open in one space file, and keeps the process's keeper thread and clock alive
 * while there is one: the keeper thread's end would make the kernel mark its alive word, and every
 * hold naming it would read as its owner's death.
 *
 * <p>The fast path is one atomic add and one volatile read per hold opened, and the same per hold
 * closed. The process is retained ({@link ProcessContext#retain}) from the first hold on and
 * released only once the file's last handle has closed ({@link #fileClosed}) and no hold is open;
 * while a handle is open it retains the process anyway, so holding on costs nothing and spares the
 * {@link ProcessContext} monitor on every hold. Each change of that state is decided under the
 * monitor from the count and the flag as they are then ({@link #reconcile}), never from what a
 * caller saw. The closer of the last hold and the closer of the file each write their side (the
 * count, the flag) before reading the other's, both sequentially consistent, so at least one of
 * them sees both and releases. A hold is counted before its word or record names the keeper; a
 * release re-reads the count after it cleared {@code retaining}, and an opener reads
 * {@code retaining} after it counted itself, so an opener that skipped the monitor is always seen.
 * (An acquisition racing with the close of the file's last handle, a use after close, may still
 * find the keeper stopped under it, as it could before this count existed.)
 */
final class ProcessHolds {

    private final ProcessContext process;
    private final AtomicInteger open = new AtomicInteger();
    /** Whether this count retains the process now; written under {@link #process}'s monitor. */
    private volatile boolean retaining;
    /** Set when the file's last handle in this process closed. */
    private volatile boolean fileClosed;

    ProcessHolds(ProcessContext process) {
        this.process = process;
    }

    /** A hold is being opened: counted before it is taken. */
    void opened() {
        open.getAndIncrement();
        if (!retaining) {
            reconcile(); // the first hold: retain the process
        }
    }

    /** A hold closed (or an attempt counted by {@link #opened()} failed). */
    void closed() {
        if (open.decrementAndGet() == 0 && fileClosed) {
            reconcile(); // the last hold after the file's last handle: release the process
        }
    }

    /** The file's last handle in this process closed: the process is released once no hold is open. */
    void fileClosed() {
        fileClosed = true;
        reconcile();
    }

    /** Whether no process-owned hold is open: the keeper's participant may retire. */
    boolean none() {
        return open.get() == 0;
    }

    private void reconcile() {
        synchronized (process) {
            boolean needed = open.get() > 0 || !fileClosed && retaining;
            if (needed == retaining) {
                return;
            }
            retaining = needed;
            if (needed) {
                process.retain();
            } else if (open.get() > 0) {
                retaining = true; // opened meanwhile by one that read "retaining" before our write: keep it
            } else {
                process.release();
            }
        }
    }
}
