package io.futexra.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel knows of one platform thread, made once per thread, on the thread itself: its
 * kernel thread id, its robust list, its sleep block, and its participations in spaces (one
 * {@link ThreadContext} per space it used).
 *
 * <p>Virtual threads are refused here: the TID in an alive word and the robust list belong to the
 * carrier thread, which changes under a virtual thread; a death of the carrier would be reported
 * as the death of whichever virtual thread ran on it.
 */
final class KernelThread {

    final int tid;
    final RobustList robustList;
    final FutexSleep sleep;
    /** This thread's participations; touched by this thread only. */
    final List<ThreadContext> contexts = new ArrayList<>();

    KernelThread(Kernel kernel) {
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

    /** Retires this thread's participations in closed spaces that hold nothing. On this thread only. */
    void retireClosed() {
        contexts.removeIf(c -> {
            if (c.retirable()) {
                c.participants.retire(c);
                return true;
            }
            return false;
        });
    }
}
