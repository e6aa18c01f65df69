package io.futexra.core;

/**
 * Per-process state shared by every space handle: the kernel binding, this process's pid, each
 * thread's {@link ThreadContext}, the coarse clock and the keeper.
 *
 * <p>Users (open spaces and outstanding process-owned acquisitions) are counted; the clock runs,
 * and the keeper may run, only while there is one, so an adapter that closes its spaces on stop
 * leaves no thread behind.
 */
final class ProcessContext {

    private static volatile ProcessContext instance;

    final Kernel kernel;
    final int pid;
    final CoarseClock clock = new CoarseClock();
    final Keeper keeper;
    private final ThreadLocal<ThreadContext> threads;
    private int users;

    private ProcessContext(Kernel kernel) {
        this.kernel = kernel;
        this.keeper = new Keeper(kernel);
        this.pid = kernel.getpid();
        this.threads = ThreadLocal.withInitial(() -> new ThreadContext(kernel));
    }

    static ProcessContext of(Kernel kernel) {
        ProcessContext p = instance;
        if (p == null) {
            synchronized (ProcessContext.class) {
                p = instance;
                if (p == null) {
                    p = new ProcessContext(kernel);
                    instance = p;
                }
            }
        }
        if (p.kernel != kernel) {
            throw new IllegalStateException("one kernel binding per process");
        }
        return p;
    }

    /** One more user: a space opened, or a process-owned acquisition made. */
    synchronized void retain() {
        if (users++ == 0) {
            clock.start();
        }
    }

    /** One user fewer; the last one stops the clock and the keeper. */
    synchronized void release() {
        if (--users == 0) {
            clock.stop();
            keeper.stop();
        }
    }

    /** The calling thread's context, made on first use (one gettid, one get_robust_list). */
    ThreadContext currentThread() {
        return threads.get();
    }
}
