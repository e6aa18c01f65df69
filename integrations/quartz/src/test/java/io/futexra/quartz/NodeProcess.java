package io.futexra.quartz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link QuartzNode} in a child JVM with this JVM's class path. Its output is kept for
 * {@link #awaitLine} and {@link #output}; {@link #close()} ends it (stdin closed, then killed if it
 * does not stop in time); {@link #kill()} is {@code kill -9}.
 */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private NodeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "node-" + process.pid() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    static NodeProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), QuartzNode.class.getName()));
        command.addAll(List.of(args));
        return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    long pid() {
        return process.pid();
    }

    /** Waits for a line equal to {@code expected}; fails with the transcript if the node dies or time runs out. */
    void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output.contains(expected)) {
            if (!process.isAlive() && !output.contains(expected)) {
                throw new AssertionError("node " + pid() + " ended without printing '" + expected + "':\n" + transcript());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + pid() + " did not print '" + expected + "' in " + timeout + ":\n"
                        + transcript());
            }
            Thread.sleep(20);
        }
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    String transcript() {
        return String.join("\n", output());
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.getOutputStream().close(); // QuartzNode shuts its scheduler down at end of input
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output lost: " + e + ")");
        }
    }
}
