package io.futexra.servers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An application server's process, started by a test: output to a log file, and stopped whatever
 * happens: {@link #close()} sends SIGTERM to the server's JVM, waits up to a grace period, then
 * SIGKILLs the whole process tree; a shutdown hook does the same if the test JVM exits first.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final Process process;
    private final Thread reaper;

    private ServerProcess(Process process) {
        this.process = process;
        this.reaper = new Thread(this::killTree, "server-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    static ServerProcess start(List<String> command, Path workDir, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ServerProcess(builder.start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The server's JVM: the started process if it is {@code java}, else its descendant {@code java} (a launch script's child). */
    long jvmPid() {
        if (isJava(process.toHandle())) {
            return process.pid();
        }
        Optional<ProcessHandle> jvm = process.descendants().filter(ServerProcess::isJava).findFirst();
        return jvm.orElseThrow(() -> new IllegalStateException("no java process under " + process.pid())).pid();
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    /** SIGTERM to the server (its JVM and the launcher), then SIGKILL to the tree after the grace period. */
    @Override
    public void close() {
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            while (System.nanoTime() < deadline && (process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive))) {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            killTree();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
