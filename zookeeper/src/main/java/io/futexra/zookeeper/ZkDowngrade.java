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
 * <p><b>Release while cut off.</b> A side's node is deleted through the process's one
 * {@code InterProcessReadWriteLock} (only the owning thread may release it there), with Curator's
 * guaranteed delete, which retries in the foreground under its retry policy, each try waiting up
 * to the connection timeout for the connection: up to about a minute. When the client is known to
 * be cut off ({@code SUSPENDED} or {@code LOST}), the release runs with the thread's interrupt flag
 * set: Curator's delete then gives up the foreground at once and hands the delete to its
 * background retries (a guaranteed delete interrupted is retried in the background, like one that
 * lost the connection), and the flag is cleared again unless it was set before. Either way the
 * node goes: deleted once the connection is back, or with the session if it expires first. A
 * release that begins before the client has noticed the loss still waits for Curator's retries.
 */
final class ZkDowngrade {

    private final Map<Thread, Runnable> pendingWriteReleases = new ConcurrentHashMap<>();
    private final BooleanSupplier readHeldByCurrentThread;
    private final BooleanSupplier connected;

    /**
     * @param readHeldByCurrentThread whether the calling thread holds the read side
     * @param connected whether the client's connection is up ({@link ZkClient#connected()})
     */
    ZkDowngrade(BooleanSupplier readHeldByCurrentThread, BooleanSupplier connected) {
        this.readHeldByCurrentThread = readHeldByCurrentThread;
        this.connected = connected;
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

    /** Runs {@code letGo}, with the interrupt flag set while the client is cut off (class comment). */
    private void release(Runnable letGo) {
        if (connected.getAsBoolean() || Thread.currentThread().isInterrupted()) {
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
