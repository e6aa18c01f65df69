package io.futexra.zookeeper;

import io.futexra.LockInterruptedException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * What a waiter on ZooKeeper sleeps on: one {@link Watcher} that it registers with every read it
 * judges by (a one-shot data or existence watch, set atomically with the read), and that releases
 * a permit when any of them fires — a change of the node, its deletion, or a change of the
 * connection's state (after which the waiter reads again). The ZooKeeper client keeps one
 * registration per watcher and path, so registering the same wakeup again on a path costs nothing.
 *
 * <p>No wake-up is lost: a waiter {@link #drain drains} the permits, then reads with the watch
 * set, then sleeps. A change after the read fires the watch and leaves a permit, so the sleep
 * returns at once; a change before the read is what the read sees.
 */
final class ZkWakeup implements Watcher {

    private final Semaphore fired = new Semaphore(0);

    @Override
    public void process(WatchedEvent event) {
        fired.release();
    }

    /** Wakes the sleeper as a fired watch would (a dispatcher's control poke). */
    void poke() {
        fired.release();
    }

    /** Forgets earlier firings: call before the reads that set the watches. */
    void drain() {
        fired.drainPermits();
    }

    /**
     * Sleeps until a watch fires or {@code nanos} pass.
     *
     * @throws LockInterruptedException if interrupted (the flag stays set), naming {@code what}
     */
    void sleep(long nanos, String what) {
        try {
            fired.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockInterruptedException("interrupted while waiting for " + what + ". The interrupt flag is still set.");
        }
    }

    /**
     * Sleeps until a watch fires or {@code nanos} pass; an interrupt ends the sleep and is cleared
     * (a pooled thread's stray interrupt: the caller looks again).
     */
    void sleepUninterruptedly(long nanos) {
        try {
            fired.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // the flag is now clear: the caller looks again
        }
    }
}
