package io.futexra.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Passes a termination of futex-ra on to the command it runs, and makes futex-ra exit with the
 * command's status, with the lock released first.
 *
 * <p>The JVM turns SIGTERM, SIGINT and SIGHUP into an orderly shutdown that runs shutdown hooks
 * while other threads go on; it does not say which signal came. This class is such a hook. What it
 * does depends on where the holding thread is, which it learns under this object's monitor:
 * <pre>
 *   WAITING  (acquiring)   interrupt the holding thread: its wait ends, nothing is held, no command
 *                          is started; the JVM then exits 128+signal (143 TERM, 130 INT).
 *   RUNNING  (command up)  send SIGTERM to the command (Process.destroy) and wait for it to
 *                          exit; the holding thread releases the lock, then the JVM halts with the
 *                          command's status (128+n if a signal n ended it).
 *   FINISHED               nothing to stop: halt with the status the holding thread settled on,
 *                          or let the JVM's own status stand.
 * </pre>
 * The holding thread starts the command under the same monitor ({@link #start}), so a signal
 * either finds the command running or stops it from starting: there is no window in which a
 * command starts after futex-ra was told to stop. The lock is always released by the thread that
 * acquired it (locks are thread-owned), never by the hook.
 *
 * <p>A command that ignores SIGTERM keeps futex-ra waiting. SIGKILL to futex-ra cannot be caught:
 * the kernel then releases the lock (the next holder is told the owner died) while the command,
 * orphaned, may go on running.
 */
final class Supervisor extends Thread {

    private static final int NOT_SET = -1;

    private final Thread holder;
    private final PrintStream err;
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean stopRequested;
    private boolean done;
    private Process child;
    private int haltStatus = NOT_SET;

    Supervisor(Thread holder, PrintStream err) {
        super("futex-ra-supervisor");
        this.holder = holder;
        this.err = err;
    }

    /** Registers the hook; call before acquiring. */
    void install() {
        Runtime.getRuntime().addShutdownHook(this);
    }

    /** Starts the command unless a stop was requested: then returns null and starts nothing. */
    synchronized Process start(ProcessBuilder command) throws IOException {
        if (stopRequested) {
            return null;
        }
        child = command.start();
        return child;
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }

    /**
     * The holding thread is done with the lock; {@code status} is the command's exit status to halt
     * with if a stop is under way, or -1 to let the exit status stand.
     */
    void finish(int status) {
        synchronized (this) {
            done = true;
            haltStatus = status;
        }
        finished.countDown();
    }

    /** Runs on JVM shutdown: from a signal, or from futex-ra's own exit. */
    @Override
    public void run() {
        Process running;
        synchronized (this) {
            stopRequested = true;
            running = done ? null : child;
            if (!done && running == null) {
                holder.interrupt(); // still acquiring: end the wait; nothing will be started
            }
        }
        if (running != null) {
            err.println("futex-ra: stopping: sent SIGTERM to the command (pid " + running.pid()
                    + "); the lock is released when it exits");
            err.flush();
            running.destroy(); // SIGTERM
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status;
        synchronized (this) {
            status = haltStatus;
        }
        if (status != NOT_SET) {
            System.out.flush();
            err.flush();
            Runtime.getRuntime().halt(status);
        }
    }
}
