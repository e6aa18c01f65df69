package io.futexra.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running {@link ChildMain} with this JVM's class path: the other process of every
 * cross-process test. Output lines are collected for {@link #awaitLine}; every wait has a hard
 * timeout, and {@link #close()} kills the child if it is still alive.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "child-" + process.pid() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code ChildMain} with the given command and arguments. */
    public static ChildJvm start(String... args) {
        return startWith(List.of(), List.of(), args);
    }

    /**
     * Starts {@code ChildMain} under {@code launcher} (e.g. {@code setpriv --reuid=nobody ...}, or
     * nothing), with extra JVM options, and with this JVM's class path.
     */
    public static ChildJvm startWith(List<String> launcher, List<String> jvmOptions, String... args) {
        return startWithClassPath(launcher, jvmOptions, System.getProperty("java.class.path"), args);
    }

    public static ChildJvm startWithClassPath(List<String> launcher, List<String> jvmOptions, String classPath,
                                              String... args) {
        return startMain(launcher, jvmOptions, classPath, ChildMain.class.getName(), args);
    }

    /**
     * Starts {@code mainClass} (a child program of another module's tests) with this JVM's class
     * path, under the same options and hard timeouts as {@code ChildMain}.
     */
    public static ChildJvm startClass(Class<?> mainClass, String... args) {
        return startMain(List.of(), List.of(), System.getProperty("java.class.path"), mainClass.getName(), args);
    }

    /** Starts {@code mainClass} under {@code launcher} with {@code classPath}: a test's own child program as another user. */
    public static ChildJvm startClassWithClassPath(List<String> launcher, List<String> jvmOptions, String classPath,
                                                   Class<?> mainClass, String... args) {
        return startMain(launcher, jvmOptions, classPath, mainClass.getName(), args);
    }

    private static ChildJvm startMain(List<String> launcher, List<String> jvmOptions, String classPath,
                                      String mainClass, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM: " + command, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for an output line starting with {@code prefix}; returns it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("child " + pid() + " printed no line starting with '" + prefix + "' within "
                        + timeout + "; alive=" + process.isAlive() + "; output:\n" + transcript());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Waits for the child to exit; returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child " + pid() + " did not exit within " + timeout + "; killed. Output:\n"
                    + transcript());
        }
        return process.exitValue();
    }

    /** SIGKILL, the real thing: {@code destroyForcibly} sends signal 9 on Linux. Waits until it is gone. */
    public void kill9() {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // e.g. the JVM under an unshare wrapper
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("child " + pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing child " + pid(), e);
        }
    }

    /** Sends a signal by name ("STOP", "CONT", "TERM") with kill(1). */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                transcript.add(line);
                lines.add(line);
            }
        } catch (IOException closed) {
            // the child is gone
        }
    }
}
