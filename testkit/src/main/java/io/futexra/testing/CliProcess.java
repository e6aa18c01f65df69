package io.futexra.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code bin/futex-ra} process, started exactly as a shell script would start it. Since the
 * script {@code exec}s the JVM, {@link #pid()} is futex-ra's JVM: {@link #kill9()} and
 * {@link #signal} hit it, not a wrapper. Output lines of stdout and stderr are collected
 * separately; every wait has a hard timeout; {@link #close()} kills what is still alive.
 */
public final class CliProcess implements AutoCloseable {

    /** The repository root: set by the build (failsafe), else the parent of the working directory. */
    public static final Path ROOT = Path.of(System.getProperty("futexra.root", "..")).toAbsolutePath().normalize();
    public static final Path SCRIPT = ROOT.resolve("bin/futex-ra");

    private final Process process;
    private final List<String> command;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread[] pumps = new Thread[2];

    private CliProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        pumps[0] = pump(process.getInputStream(), stdout, stdoutLines, "out");
        pumps[1] = pump(process.getErrorStream(), stderr, null, "err");
    }

    /** Starts {@code bin/futex-ra ARGS} with {@code FUTEX_RA_DIR=dir} (and the extra environment). */
    public static CliProcess start(Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(Arrays.asList(args));
        return startCommand(dir, env, command);
    }

    public static CliProcess start(Path dir, String... args) {
        return start(dir, Map.of(), args);
    }

    /** Starts any command (a wrapper such as setpriv, or a shell loop) with {@code FUTEX_RA_DIR=dir}. */
    public static CliProcess startCommand(Path dir, Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FUTEX_RA_SPACE");
        builder.environment().remove("FUTEX_RA_FENCING_TOKEN");
        builder.environment().remove("FUTEX_RA_PREVIOUS_OWNER_DIED");
        builder.environment().put("FUTEX_RA_DIR", dir.toString());
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return new CliProcess(builder.start(), command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    /** Runs {@code bin/futex-ra ARGS} to completion (at most {@code timeout}). */
    public static CliProcess run(Path dir, Duration timeout, String... args) throws InterruptedException {
        CliProcess p = start(dir, args);
        p.awaitExit(timeout);
        return p;
    }

    /** Makes sure the class-data archive exists, so that tests time real starts, not the training run. */
    public static void warmUp() throws InterruptedException {
        try (CliProcess p = start(Path.of("/nonexistent-futex-ra-warm-up"), "--version")) {
            if (p.awaitExit(Duration.ofSeconds(60)) != 0) {
                throw new AssertionError("bin/futex-ra --version failed:\n" + p.transcript());
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The processes this one started, and theirs (a loop's current futex-ra and its command). */
    public java.util.stream.Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a stdout line starting with {@code prefix}; returns it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stdoutLines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no stdout line starting with '" + prefix + "' within " + timeout
                        + "; alive=" + process.isAlive() + "\n" + transcript());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Waits for the exit and for all output; returns the exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within " + timeout + "; killed.\n" + transcript());
        }
        for (Thread pump : pumps) {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        }
        return process.exitValue();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    public List<String> stderrLines() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    public String transcript() {
        return "command: " + command + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
    }

    /** SIGKILL, and waits until it is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("survived SIGKILL for 10 s: " + command);
        }
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }

    /** Kills the process whose pid is written in {@code pidFile}, if any (a command orphaned by a kill -9). */
    public static void killPidFrom(Path pidFile) throws IOException {
        if (Files.exists(pidFile)) {
            String text = Files.readString(pidFile).strip();
            if (!text.isEmpty()) {
                ProcessHandle.of(Long.parseLong(text)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static Thread pump(InputStream in, List<String> all, BlockingQueue<String> queue, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    all.add(line);
                    if (queue != null) {
                        queue.add(line);
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
        }, "futex-ra-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
