package io.futexra.it.inflow.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the test MDBs received, one line per delivery in a file of -Dfutexra.samples.dir, read back by the tests. */
public final class Record {

    private Record() {
    }

    public static void line(String file, String line) {
        try {
            Path dir = Path.of(System.getProperty("futexra.samples.dir"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
