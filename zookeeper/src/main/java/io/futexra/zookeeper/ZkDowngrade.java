package io.futexra.zookeeper;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Makes a read/write lock's downgrade safe. Curator grants the read lock at once to the thread
 * that holds the write lock, but its read node is queued after any writer that arrived meanwhile;
 * if the write node were deleted then, that writer would be first in line and take the write lock
 * while the downgraded reader still reads. So the write node of a thread that holds the read lock
 * when it releases the write lock stays until that thread's last read release: other writers
 * (and readers) keep waiting until then. One per object and process.
 */
final class ZkDowngrade {

    private final Map<Thread, Runnable> pendingWriteReleases = new ConcurrentHashMap<>();
    private final BooleanSupplier readHeldByCurrentThread;

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
        letGo.run();
        if (!writeSide) {
            Runnable write = pendingWriteReleases.remove(me);
            if (write != null) {
                write.run(); // the downgraded read ended: now the write node may go
            }
        }
    }
}
