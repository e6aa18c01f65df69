package io.futexra.core;

import java.util.Arrays;

/**
 * The one way a wait is counted in shared counters (a slot's {@code SLEEPERS}, or an owner-death
 * watch's {@code WATCHERS}): listings show the counts as waiters and watchers, and releasers,
 * signallers and acquirers wake only when a count is not 0.
 *
 * <p>A waiter raises its counts <em>before</em> its last look at the words it sleeps on (so a
 * change after the look finds it counted and wakes it) and lowers them after the sleep, whatever
 * happens: a {@code Sleepers} is a resource, used as
 * <pre>
 *   try (Sleepers counted = Sleepers.around(me.sleep).count(memory, base + SLEEPERS_OFFSET)) {
 *       ... last look, setting the sleep's words ...
 *       outcome = counted.sleepOnWords(words, deadline);
 *   }
 * </pre>
 * and {@link #close()} lowers exactly the counts raised so far, so an exception (a corrupt word,
 * an interrupt) can never leave one high. Confined to the waiting thread.
 */
final class Sleepers implements AutoCloseable {

    private final FutexSleep sleep;
    private SharedMemory[] memories = new SharedMemory[2];
    private int[] counters = new int[2];
    /** Counts raised and not yet lowered. */
    private int raised;

    private Sleepers(FutexSleep sleep) {
        this.sleep = sleep;
    }

    /** A wait that will sleep with {@code sleep}; nothing counted yet. */
    static Sleepers around(FutexSleep sleep) {
        return new Sleepers(sleep);
    }

    /** {@link FutexSleep#sleepOnWords}, counted in the int at {@code counter} of {@code memory}. */
    static int sleep(SharedMemory memory, int counter, FutexSleep sleep, int words, long deadlineNanos) {
        try (Sleepers counted = around(sleep).count(memory, counter)) {
            return counted.sleepOnWords(words, deadlineNanos);
        }
    }

    /** Raises the int at {@code counter} of {@code memory} (a full fence), to be lowered by {@link #close()}. */
    Sleepers count(SharedMemory memory, int counter) {
        if (raised == counters.length) {
            memories = Arrays.copyOf(memories, raised * 2);
            counters = Arrays.copyOf(counters, raised * 2);
        }
        memory.getAndAddInt(counter, 1);
        memories[raised] = memory;
        counters[raised] = counter;
        raised++;
        return this;
    }

    /** Sleeps on the first {@code words} words set up in the sleep block; see {@link FutexSleep#sleepOnWords}. */
    int sleepOnWords(int words, long deadlineNanos) {
        return sleep.sleepOnWords(words, deadlineNanos);
    }

    /**
     * Lowers every count raised; a second close does nothing. A count in a file truncated under us
     * faults: the others are lowered still, then the fault is rethrown.
     */
    @Override
    public void close() {
        InternalError fault = null;
        while (raised > 0) {
            raised--;
            try {
                memories[raised].getAndAddInt(counters[raised], -1);
            } catch (InternalError truncated) {
                fault = truncated;
            }
        }
        if (fault != null) {
            throw fault;
        }
    }
}
