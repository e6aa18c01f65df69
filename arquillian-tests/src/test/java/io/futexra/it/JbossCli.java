package io.futexra.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs jboss-cli commands for real, against the single test server: the server's own
 * {@code bin/jboss-cli.sh -c --file=SCRIPT}, which stops at the first failing command and then
 * exits with status 1 (fed on stdin instead, it would go on past a failure and exit 0). Besides
 * the controller's address, one option more than the command in docs/ejbs-and-mdbs.md: {@code --timeout}, since
 * {@code reload} waits for the server only that long plus a second (default 5 s: too short for a
 * reload on a loaded machine).
 */
final class JbossCli {

    private static final long GUARD_SECONDS = 180;

    private JbossCli() {
    }

    /**
     * Writes {@code commands} to {@code script} and runs it; fails with the CLI's output unless
     * every command succeeded.
     *
     * @return the CLI's output
     */
    static String run(Path script, List<String> commands) throws IOException, InterruptedException {
        Files.write(script, commands, StandardCharsets.UTF_8);
        Path cli = Path.of(System.getProperty("jboss.home"), "bin", "jboss-cli.sh");
        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "-c",
                "--controller=remote+http://127.0.0.1:" + System.getProperty("it.mgmt.single"), "--timeout=" + GUARD_SECONDS * 1000,
                "--echo-command", "--file=" + script)
                .redirectErrorStream(true).redirectOutput(script.resolveSibling(script.getFileName() + ".out").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        boolean ended = process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(script.resolveSibling(script.getFileName() + ".out"), StandardCharsets.UTF_8);
        if (!ended || process.exitValue() != 0) {
            throw new AssertionError("jboss-cli " + (ended ? "exited with " + process.exitValue() : "did not end within "
                    + GUARD_SECONDS + " s") + " running " + script + ":\n" + String.join("\n", commands) + "\noutput:\n"
                    + output);
        }
        return output;
    }
}
