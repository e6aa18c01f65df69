package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual exclusion across real child JVMs: a plain counter in shared memory must end at exactly
 * the number of acquisitions, the overlap detector must never trip, and fencing tokens must follow
 * the order of acquisition across processes.
 */
@Timeout(300)
class CrossProcessMutexTest {

    private static final int PROCESSES = 3;
    private static final int THREADS = 4;
    private static final int ITERATIONS = 50_000;

    @Test
    void shouldExcludeAcrossProcessesAndThreadsWithExactCountAndOrderedTokens() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path counterFile = dirs.file("counter");
            SharedCounter counter = SharedCounter.open(counterFile);
            List<ChildJvm> children = new ArrayList<>();
            List<Path> tokenFiles = new ArrayList<>();
            try {
                for (int p = 0; p < PROCESSES; p++) {
                    Path tokens = dirs.file("tokens-" + p);
                    tokenFiles.add(tokens);
                    children.add(ChildJvm.start("hammer", dirs.directory().toString(), "mutex", "counted",
                            counterFile.toString(), Integer.toString(THREADS), Integer.toString(ITERATIONS),
                            tokens.toString()));
                }
                for (ChildJvm child : children) {
                    child.awaitLine("DONE", Duration.ofSeconds(240));
                    assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.transcript());
                }
            } finally {
                for (ChildJvm child : children) {
                    child.close();
                }
            }
            long total = (long) PROCESSES * THREADS * ITERATIONS;
            assertEquals(0, counter.overlaps(), "two holders were inside the lock at once");
            assertEquals(total, counter.count(), "increments were lost: mutual exclusion failed");

            // Every acquisition incremented both the counter and the token by one, so
            // token - counterBefore is the same for all of them iff tokens follow acquisition order.
            Set<Long> tokens = new HashSet<>();
            Set<Long> offsets = new HashSet<>();
            for (Path file : tokenFiles) {
                readRecords(file, tokens, offsets);
            }
            assertEquals(total, tokens.size(), "fencing tokens must be unique across processes");
            assertEquals(1, offsets.size(), "tokens must increase in acquisition order: token = origin + count before + 1");
            try (LockSpace space = LockSpace.open(dirs.directory(), "mutex")) {
                ObjectInfo info = space.objects().get(0);
                assertEquals(total, info.acquisitions());
                assertEquals(offsets.iterator().next() - 1 + total, info.fencingToken(), "the origin plus every acquisition");
                assertTrue(info.contendedAcquisitions() > 0, "the test must really contend: " + info);
            }
        }
    }

    private static void readRecords(Path file, Set<Long> tokens, Set<Long> offsets) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < THREADS * ITERATIONS; i++) {
                long token = in.readLong();
                long before = in.readLong();
                tokens.add(token);
                offsets.add(token - before);
            }
        }
    }
}
