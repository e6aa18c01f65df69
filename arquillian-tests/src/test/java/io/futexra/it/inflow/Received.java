package io.futexra.it.inflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Reads back what the MDBs (and other test code in the server) recorded under -Dsamples.dir. */
public final class Received {

    private Received() {
    }

    static Path file(String name) {
        return Path.of(System.getProperty("samples.dir")).resolve(name);
    }

    public static List<String> lines(String name) throws IOException {
        Path f = file(name);
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    }

    /** Waits until the file's lines satisfy {@code done} or {@code max} passes; returns the lines then. */
    public static List<String> awaitLines(String name, Predicate<List<String>> done, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        List<String> now = lines(name);
        while (!done.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = lines(name);
        }
        return now;
    }
}
