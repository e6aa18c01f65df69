package io.futexra.zookeeper;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The last release of each side of a read/write lock: makes a downgrade safe, and keeps a release
 * from waiting for an ensemble it is cut off from. One per object and process.
 *
 * <p><b>Downgrade.</b> Curator grants the read lock at once to the thread that holds the write
 * lock, but its read node is queued after any writer that arrived meanwhile; if the write node
 * were deleted then, that writer would be first in line and take the write lock while the
 * downgraded reader still reads. So the write node of a thread that holds the read lock when it
 * releases the write lock stays until that thread's last read release: other writers (and
 * readers) keep waiting until then.
 *
 * <p><b>A release never waits.</b> A side's node is deleted through the process's one
 * {@code InterProcessReadWriteLock} (only the owning thread may release it there), with Curator's
 * guaranteed delete, which would wait for the reply and retry in the foreground while cut off. So
 * the release runs with the thread's interrupt flag set: Curator sends the delete, does not wait
 * for its reply, and hands it to its background retries (a guaranteed delete interrupted is
 * retried in the background, like one that lost the connection: a second delete that finds the
 * node gone); the flag is cleared again unless it was set before. The node goes either way:
 * deleted at once, once the connection is back, or with the session if it expires first.
 */
final class ZkDowngrade {

    private final Map<Thread, Runnable> pendingWriteReleases = new ConcurrentHashMap<>();
    private final BooleanSupplier readHeldByCurrentThread;

    /**
     * @param readHeldByCurrentThread whether the calling thread holds the read side
     */
    ZkDowngrade(BooleanSupplier readHeldByCurrentThread) {
        this.readHeldByCurrentThread = readHeldByCurrentThread;
    }

    /** Called on the owning thread by a side's last release; {@code letGo} deletes its node. */
    void lastRelease(boolean writeSide, Runnable letGo) {
        Thread me = Thread.currentThread();
        if (writeSide && readHeldByCurrentThread.getAsBoolean()) {
            pendingWriteReleases.put(me, letGo); // downgraded: the write node guards the read until it ends
            return;
        }
        release(letGo);
        if (!writeSide) {
            Runnable write = pendingWriteReleases.remove(me);
            if (write != null) {
                release(write); // the downgraded read ended: now the write node may go
            }
        }
    }

    /** Runs {@code letGo} with the interrupt flag set (class comment). */
    private void release(Runnable letGo) {
        if (Thread.currentThread().isInterrupted()) {
            letGo.run();
            return;
        }
        Thread.currentThread().interrupt(); // Curator: no foreground retries, the delete goes to the background
        try {
            letGo.run();
        } finally {
            Thread.interrupted(); // it was not set before
        }
    }
}
