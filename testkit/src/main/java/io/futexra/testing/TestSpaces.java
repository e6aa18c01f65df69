package io.futexra.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A fresh directory on tmpfs per test, removed afterwards. */
public final class TestSpaces implements AutoCloseable {

    private final Path directory;

    public TestSpaces() {
        this.directory = Path.of("/dev/shm", "futex-ra-test-" + UUID.randomUUID());
    }

    public Path directory() {
        return directory;
    }

    public Path file(String name) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.resolve(name);
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> all = Files.walk(directory)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
