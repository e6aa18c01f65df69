package io.futexra.cli;

import io.futexra.Held;
import io.futexra.LockInterruptedException;
import io.futexra.LockTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a command while holding something ({@code run --lock}, {@code run --read}, {@code sem … run}).
 *
 * <p>The command is started with {@link ProcessBuilder}, stdin, stdout and stderr inherited, and
 * in its environment:
 * <ul>
 * <li>{@code FUTEX_RA_FENCING_TOKEN}: the acquisition's fencing token;</li>
 * <li>{@code FUTEX_RA_PREVIOUS_OWNER_DIED}: {@code 1} if the previous holder died holding it (also
 *     said on stderr), else {@code 0}, set either way so that a value inherited from an outer
 *     {@code futex-ra run} never leaks in.</li>
 * </ul>
 * futex-ra then exits with the command's status (128+n if signal n ended it), after releasing.
 * It cannot start the command: 127 (not found) or 126 (found but not executable), as
 * {@code env(1)} and {@code timeout(1)} do. See {@link Supervisor} for signals.
 */
final class GuardedCommand {

    static final String FENCING_TOKEN = "FUTEX_RA_FENCING_TOKEN";
    static final String PREVIOUS_OWNER_DIED = "FUTEX_RA_PREVIOUS_OWNER_DIED";
    static final int NOT_FOUND = 127;
    static final int NOT_EXECUTABLE = 126;

    private GuardedCommand() {
    }

    /** The holding thread's name, which the kernel shows (15 characters at most) in {@code futex-ra ls}. */
    static final String HOLDER_THREAD = "futex-ra run";

    /**
     * Acquires, runs the command and releases on a thread named {@value #HOLDER_THREAD} (so that
     * an operator's {@code ls} shows who holds it, rather than the launcher's "java"); the calling
     * thread waits for it.
     */
    static int run(Invocation inv, Acquirer what, Duration timeout, List<String> command) {
        Holder holder = new Holder(inv, what, timeout, command);
        Thread thread = new Thread(holder, HOLDER_THREAD);
        holder.supervisor = new Supervisor(thread, inv.err);
        holder.supervisor.install();
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (holder.failure instanceof RuntimeException) {
            throw (RuntimeException) holder.failure;
        }
        if (holder.failure instanceof Error) {
            throw (Error) holder.failure;
        }
        return holder.result;
    }

    /** The holding thread's work: its outcome is a status or a failure. */
    private static final class Holder implements Runnable {

        private final Invocation inv;
        private final Acquirer what;
        private final Duration timeout;
        private final List<String> command;
        Supervisor supervisor;
        int result;
        Throwable failure;

        Holder(Invocation inv, Acquirer what, Duration timeout, List<String> command) {
            this.inv = inv;
            this.what = what;
            this.timeout = timeout;
            this.command = command;
        }

        @Override
        public void run() {
            try {
                result = hold(inv, what, timeout, command, supervisor);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    private static int hold(Invocation inv, Acquirer what, Duration timeout, List<String> command,
                            Supervisor supervisor) {
        int status = -1;
        try {
            Held held;
            try {
                held = what.acquire(timeout);
            } catch (LockTimeoutException e) {
                throw new CliException(ExitCodes.TIMEOUT, "timed out after " + Durations.format(timeout)
                        + " waiting for " + what.describe() + what.holders() + "; nothing was run");
            } catch (LockInterruptedException e) {
                if (supervisor.stopRequested()) {
                    inv.err.println("futex-ra: stopped while waiting for " + what.describe() + "; nothing was run");
                    return ExitCodes.TERMINATED_BY_TERM; // the JVM's exit status (128+signal) wins
                }
                throw e;
            }
            try {
                if (held.previousOwnerDied()) {
                    inv.err.println("futex-ra: the previous holder of " + what.describe()
                            + " died holding it: running the command with " + PREVIOUS_OWNER_DIED + "=1");
                    inv.err.flush();
                }
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                Map<String, String> env = builder.environment();
                env.put(FENCING_TOKEN, Long.toString(held.fencingToken()));
                env.put(PREVIOUS_OWNER_DIED, held.previousOwnerDied() ? "1" : "0");
                Process process = start(supervisor, builder, command.get(0));
                if (process == null) {
                    return ExitCodes.TERMINATED_BY_TERM; // stopped before it started
                }
                status = waitFor(process);
            } finally {
                held.close();
            }
            return status;
        } finally {
            supervisor.finish(status);
        }
    }

    private static Process start(Supervisor supervisor, ProcessBuilder builder, String program) {
        try {
            return supervisor.start(builder);
        } catch (IOException e) {
            // decided from the file system, not from the exception's text, which differs between JDKs
            if (!exists(program)) {
                throw new CliException(NOT_FOUND, "cannot run '" + Text.printable(program) + "': not found"
                        + (program.indexOf('/') >= 0 ? "" : " on PATH"));
            }
            throw new CliException(NOT_EXECUTABLE, "cannot run '" + Text.printable(program) + "': "
                    + Text.printable(String.valueOf(e.getMessage())));
        }
    }

    /** Whether {@code program} names a file, directly or (without a slash) in a directory of PATH. */
    private static boolean exists(String program) {
        if (program.indexOf('/') >= 0) {
            return Files.exists(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null || program.isEmpty()) {
            return false;
        }
        for (String dir : path.split(":", -1)) {
            try {
                if (Files.exists(Path.of(dir.isEmpty() ? "." : dir, program))) {
                    return true;
                }
            } catch (InvalidPathException ignored) {
                // not a usable PATH entry
            }
        }
        return false;
    }

    /** Waits for the command; futex-ra's own interrupts do not abandon it. */
    private static int waitFor(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                int status = process.waitFor();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return status;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }
}
