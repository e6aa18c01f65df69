package io.futexra.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The server's log, read from inside the server (jboss.server.log.dir) or from the test JVM. */
public final class ServerLog {

    private ServerLog() {
    }

    public static Path inServer() {
        return Path.of(System.getProperty("jboss.server.log.dir"), "server.log");
    }

    public static Path singleServerFromClient() {
        return Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
    }

    /** Lines containing every one of {@code parts}. */
    public static List<String> linesWith(Path log, String... parts) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> {
                    for (String p : parts) {
                        if (!l.contains(p)) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
    }

    /**
     * Whether the single server's log, read from the test JVM, has a line containing every one of
     * {@code parts}: a condition to poll for a line logged after what the test waits on.
     */
    public static boolean singleServerLogged(String... parts) {
        try {
            return !linesWith(singleServerFromClient(), parts).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
