package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Processes in different PID namespaces (containers sharing /dev/shm but not their PIDs) cannot
 * share a space safely: TIDs repeat across namespaces. The child runs in a new PID namespace made
 * with {@code unshare --pid --fork} (root, as in CI) and must be refused clearly.
 */
@Timeout(120)
class PidNamespaceTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldRefuseAProcessInAnotherPidNamespace() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "host")) {
            space.lock("shared").acquire().close();
            try (ChildJvm contained = ChildJvm.startWith(List.of("unshare", "--pid", "--fork", "--kill-child"), List.of(), "hold",
                    dirs.directory().toString(), "host", "shared")) {
                String failed = contained.awaitLine("FAILED", Duration.ofSeconds(60));
                assertTrue(failed.contains("another") || failed.contains("PID namespace"), failed);
                assertTrue(contained.transcript().contains("one PID namespace"), contained.transcript());
                assertEquals(1, contained.awaitExit(Duration.ofSeconds(30)));
            }
            // a space the contained process creates itself is fine for it (one namespace)
            try (ChildJvm contained = ChildJvm.startWith(List.of("unshare", "--pid", "--fork", "--kill-child"), List.of(), "hold",
                    dirs.directory().toString(), "inside", "own")) {
                contained.awaitLine("HELD", Duration.ofSeconds(60));
            }
        }
    }
}
