package io.futexra.servers.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the MDBs write down each delivery: one line per delivery in a file under -Dportable.received. */
final class Received {

    private Received() {
    }

    static synchronized void append(String file, String line) {
        try {
            Path dir = Path.of(System.getProperty("portable.received"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
