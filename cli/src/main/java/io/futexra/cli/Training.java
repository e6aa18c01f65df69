package io.futexra.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/futex-ra}'s class-data archive (hidden option
 * {@code --cds-training DIR}): runs every command path once, in a throw-away space under
 * {@code DIR}, so that the JVM archives the classes a real start loads. Prints nothing.
 */
final class Training {

    private Training() {
    }

    static int run(Path directory) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Map<String, String> env = Map.of();
        String dir = directory.toString();
        String[][] lines = {
            {"--dir", dir, "--space", "training", "run", "--lock", "training", "--timeout", "5s", "--", "true"},
            {"--dir", dir, "--space", "training", "run", "--lock", "training", "--", "true"},
            {"--dir", dir, "--space", "training", "run", "--lock", "rw", "--read", "--", "true"},
            {"--dir", dir, "--space", "training", "run", "--lock", "rw", "--", "true"},
            {"--dir", dir, "--space", "training", "sem", "pool", "--permits", "2", "run", "--", "true"},
            {"--dir", dir, "--space", "training", "signal", "done"},
            {"--dir", dir, "--space", "training", "wait", "done", "--timeout", "1s"},
            {"--dir", dir, "--space", "training", "reset", "done"},
            {"--dir", dir, "--space", "training", "wait", "done", "--timeout", "0"},
            {"--dir", dir, "--space", "training", "ls"},
            {"--dir", dir, "--space", "training", "ls", "--json"},
            {"--dir", dir, "--space", "training", "run", "--lock", "training", "--timeout", "bogus", "--", "true"},
            {"--help"},
        };
        try {
            for (String[] line : lines) {
                Main.execute(line, quiet, quiet, env);
            }
        } finally {
            delete(directory);
        }
        return ExitCodes.OK;
    }

    private static void delete(Path directory) {
        try (Stream<Path> all = Files.walk(directory)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // bin/futex-ra removes the training directory anyway
        }
    }
}
