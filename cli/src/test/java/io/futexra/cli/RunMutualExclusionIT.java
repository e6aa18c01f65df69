package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shell jobs contending through real {@code futex-ra run} processes: a counter file incremented
 * read-modify-write (with a pause between read and write, so any overlap loses increments), and
 * an overlap detector, an {@code mkdir} marker that must not exist on entry.
 */
@Timeout(180)
class RunMutualExclusionIT {

    private static final int WORKERS = 6;
    private static final int RUNS_PER_WORKER = 4;

    /** The critical section: $1 is the shared directory. */
    private static final String CRITICAL_SECTION = """
            d=$1
            mkdir "$d/inside" 2>/dev/null || echo "overlap token=$FUTEX_RA_FENCING_TOKEN" >> "$d/overlaps"
            n=$(cat "$d/counter")
            sleep 0.02
            echo $((n + 1)) > "$d/counter"
            echo "$FUTEX_RA_FENCING_TOKEN $FUTEX_RA_PREVIOUS_OWNER_DIED" >> "$d/tokens"
            rmdir "$d/inside" 2>/dev/null
            exit 0
            """;

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldLetExactlyOneRunAtATimeIncrementTheCounter() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path shared = dirs.file("shared");
            Files.createDirectories(shared);
            Files.writeString(shared.resolve("counter"), "0\n");
            Path critical = shared.resolve("critical.sh");
            Files.writeString(critical, CRITICAL_SECTION);
            String loop = "for i in $(seq " + RUNS_PER_WORKER + "); do \"$0\" run --lock counter -- sh \"$1\" \"$2\""
                    + " || exit $?; done";

            List<CliProcess> workers = new ArrayList<>();
            try {
                for (int w = 0; w < WORKERS; w++) {
                    workers.add(CliProcess.startCommand(dirs.directory(), Map.of(), List.of("sh", "-c", loop,
                            CliProcess.SCRIPT.toString(), critical.toString(), shared.toString())));
                }
                for (CliProcess worker : workers) {
                    assertEquals(0, worker.awaitExit(Duration.ofSeconds(150)), worker.transcript());
                }
            } finally {
                for (CliProcess worker : workers) {
                    worker.close();
                }
            }

            int total = WORKERS * RUNS_PER_WORKER;
            assertFalse(Files.exists(shared.resolve("overlaps")),
                    () -> "two holders at once: " + read(shared.resolve("overlaps")));
            assertEquals(Integer.toString(total), Files.readString(shared.resolve("counter")).strip(),
                    "the counter must count every run exactly once");
            List<String> tokens = Files.readAllLines(shared.resolve("tokens"));
            assertEquals(total, tokens.size());
            long previous = 0;
            long first = Long.parseLong(tokens.get(0).split(" ")[0]);
            for (String line : tokens) {
                String[] parts = line.split(" ");
                long token = Long.parseLong(parts[0]);
                assertTrue(token > previous, "fencing tokens must grow with each acquisition: " + tokens);
                assertEquals("0", parts[1], "nobody died: " + line);
                previous = token;
            }
            assertEquals(first + total - 1, previous, "one token per acquisition: " + tokens);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
