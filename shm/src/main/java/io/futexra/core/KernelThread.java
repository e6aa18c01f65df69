package io.futexra.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel knows of one platform thread, made once per thread, on the thread itself: its
 * kernel thread id, its robust list, its sleep block, and its participations in spaces (one
 * {@link ThreadContext} per space it used).
 *
 * <p>Made for platform threads only: the TID in an alive word and the robust list belong to the
 * thread that runs, which for a virtual thread is a carrier that changes under it. A virtual
 * thread never gets one: its holds belong to the keeper participant ({@link VirtualCallers}).
 */
final class KernelThread {

    final int tid;
    final RobustList robustList;
    final FutexSleep sleep;
    /** This thread's participations; touched by this thread only. */
    final List<ThreadContext> contexts = new ArrayList<>();

    KernelThread(Kernel kernel) {
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
