package io.futexra.core;

/**
 * What a platform thread needs to own futex-ra words: its kernel thread id (the value locks
 * store), its robust list, and its sleep block. Made once per thread, on the thread itself.
 *
 * <p>Virtual threads are refused here: the TID in a word and the robust list belong to the
 * carrier thread, which changes under a virtual thread; a lock taken on one carrier and released
 * on another would corrupt two lists.
 */
final class ThreadContext {

    final int tid;
    final RobustList robustList;
    final FutexSleep sleep;
    /** Spins the last contended acquisition used, for adaptive spinning. */
    int lastSpins;

    ThreadContext(Kernel kernel) {
        Thread me = Thread.currentThread();
        if (VirtualThreads.isVirtual(me)) {
            throw new UnsupportedOperationException("futex-ra locks cannot be owned by a virtual thread ("
                    + me + "): the kernel tracks owners by carrier thread. Acquire on a platform thread,"
                    + " for example from an ExecutorService of platform threads.");
        }
        this.tid = kernel.gettid();
        this.robustList = new RobustList(kernel);
        this.sleep = new FutexSleep(kernel);
    }
}
