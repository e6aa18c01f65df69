package io.futexra.core;

/**
 * Per-process state shared by every space handle: the kernel binding, this process's pid, each
 * thread's {@link ThreadContext}, and the coarse clock.
 */
final class ProcessContext {

    private static volatile ProcessContext instance;

    final Kernel kernel;
    final int pid;
    final CoarseClock clock = new CoarseClock();
    private final ThreadLocal<ThreadContext> threads;

    private ProcessContext(Kernel kernel) {
        this.kernel = kernel;
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

    /** The calling thread's context, made on first use (one gettid, one get_robust_list). */
    ThreadContext currentThread() {
        return threads.get();
    }
}
