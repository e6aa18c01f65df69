package io.futexra.core;

/**
 * Sleeps counted in a slot's {@code SLEEPERS} word: listings show them as waiters, and releasers
 * of hold records wake when the count is not 0. The count is raised before the sleep and lowered
 * after it whatever happens (try/finally), so an exception cannot leave it high.
 */
final class Sleepers {

    private Sleepers() {
    }

    /** {@link FutexSleep#sleepOnWords}, counted in the int at {@code counter} of {@code memory}. */
    static int sleep(SharedMemory memory, int counter, FutexSleep sleep, int words, long deadlineNanos) {
        memory.getAndAddInt(counter, 1);
        try {
            return sleep.sleepOnWords(words, deadlineNanos);
        } finally {
            memory.getAndAddInt(counter, -1);
        }
    }
}
