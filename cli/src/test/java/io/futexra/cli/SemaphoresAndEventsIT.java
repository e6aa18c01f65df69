package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.testing.AwaitState;
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

/** {@code run --read/--write}, {@code sem … run} and {@code signal/reset/wait}, from real processes. */
@Timeout(180)
class SemaphoresAndEventsIT {

    private static final Duration T = Duration.ofSeconds(30);

    /**
     * Enters (a file per holder in $1/inside); waits up to $3 tenths of a second for $2 holders to
     * be inside at once, so that overlap is seen whatever the machine's load if it is allowed;
     * records how many are inside; leaves.
     */
    private static final String SHARED_SECTION = """
            d=$1
            touch "$d/inside/$$"
            for i in $(seq "$3"); do [ "$(ls "$d/inside" | wc -l)" -ge "$2" ] && break; sleep 0.1; done
            ls "$d/inside" | wc -l >> "$d/seen"
            sleep 0.1
            rm "$d/inside/$$"
            """;

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldNeverLetMoreThanThePermitsRunAtOnce() throws Exception {
        List<Integer> seen = contend(new String[] {"sem", "pool", "--permits", "2", "run", "--"}, 6, 30);
        assertEquals(6, seen.size(), "every run ran once: " + seen);
        assertTrue(seen.stream().allMatch(n -> n >= 1 && n <= 2), "at most 2 permits at once: " + seen);
        assertTrue(seen.contains(2), "two permits should have been used together at least once: " + seen);
    }

    @Test
    void shouldLetReadersShareAndKeepWritersAlone() throws Exception {
        List<Integer> readers = contend(new String[] {"run", "--lock", "catalog", "--read", "--"}, 4, 30);
        assertTrue(readers.stream().anyMatch(n -> n >= 2), "readers should overlap: " + readers);
        List<Integer> writers = contend(new String[] {"run", "--lock", "catalog", "--write", "--"}, 4, 5);
        assertTrue(writers.stream().allMatch(n -> n == 1), "writers never overlap: " + writers);
    }

    @Test
    void shouldWakeAWaitOnSignalAndTimeOutWith75Otherwise() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "default")) {
            try (CliProcess waiter = CliProcess.start(dirs.directory(), "wait", "import-done", "--timeout", "30s")) {
                AwaitState.waiters(space, "import-done", 1);
                assertTrue(waiter.isAlive());
                assertEquals(0, run(dirs, "signal", "import-done").exitValue());
                assertEquals(0, waiter.awaitExit(T), waiter.transcript());
            }
            // manual reset: stays signaled for later waiters until reset
            assertEquals(0, run(dirs, "wait", "import-done", "--timeout", "0").exitValue());
            assertEquals(0, run(dirs, "reset", "import-done").exitValue());
            CliProcess late = run(dirs, "wait", "import-done", "--timeout", "200ms");
            assertEquals(75, late.exitValue(), late.transcript());
            assertTrue(late.stderr().startsWith("futex-ra: event 'import-done' in space 'default' was not signaled"
                    + " within 200ms"), late.transcript());
        }
    }

    @Test
    void shouldLetExactlyOneWaiterThroughPerAutoResetSignal() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "default")) {
            NamedEvent tick = space.event("tick", EventMode.AUTO_RESET);
            List<CliProcess> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    waiters.add(CliProcess.start(dirs.directory(), "wait", "tick", "--auto", "--timeout", "60s"));
                }
                AwaitState.waiters(space, "tick", 3);
                assertEquals(0, run(dirs, "signal", "tick", "--auto").exitValue());
                assertEquals(1, awaitExited(waiters, 1), "one signal, one waiter through");
                // no quiet period: a surplus pass would leave one of the two signals below pending,
                // which the check at the end ("every signal consumed") sees
                assertFalse(tick.isSignaled(), "the signal was consumed by the one waiter it let through");
                tick.signal();
                tick.signal();
                assertEquals(3, awaitExited(waiters, 3));
                for (CliProcess w : waiters) {
                    assertEquals(0, w.exitValue(), w.transcript());
                }
                assertFalse(tick.isSignaled(), "every signal consumed");
            } finally {
                for (CliProcess w : waiters) {
                    w.close();
                }
            }
        }
    }

    @Test
    void shouldRefuseAModeMismatchOnSignalWaitAndResetLikeTheJavaApi() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "default")) {
            NamedEvent tick = space.event("tick", EventMode.AUTO_RESET);
            String apiMessage = assertThrows(IllegalArgumentException.class,
                    () -> space.event("tick", EventMode.MANUAL_RESET)).getMessage();
            for (String command : List.of("signal", "reset", "wait")) {
                CliProcess wrongMode = run(dirs, optionsFor(command, "tick"));
                assertEquals(64, wrongMode.exitValue(), command + " of an auto-reset event without --auto: "
                        + wrongMode.transcript());
                assertTrue(wrongMode.stderr().startsWith("futex-ra: " + apiMessage), wrongMode.transcript());
            }
            assertFalse(tick.isSignaled(), "the refused signal changed nothing");
            tick.signal();
            assertEquals(0, run(dirs, "wait", "tick", "--auto", "--timeout", "0").exitValue(), "--auto matches");
            assertFalse(tick.isSignaled(), "the matching wait consumed the signal");

            space.event("done", EventMode.MANUAL_RESET).signal();
            for (String command : List.of("signal", "reset", "wait")) {
                CliProcess wrongMode = run(dirs, optionsFor(command, "done", "--auto"));
                assertEquals(64, wrongMode.exitValue(), command + " --auto of a manual-reset event: "
                        + wrongMode.transcript());
                assertTrue(wrongMode.stderr().startsWith("futex-ra: event 'done' in space 'default' exists as"
                        + " MANUAL_RESET, not AUTO_RESET"), wrongMode.transcript());
            }
            assertTrue(space.event("done", EventMode.MANUAL_RESET).isSignaled(), "the refused reset changed nothing");
        }
    }

    /** Runs {@code count} holders of {@code prefix} at once, each in SHARED_SECTION; returns what each saw inside. */
    private static List<Integer> contend(String[] prefix, int count, int patienceTenths) throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path shared = dirs.file("shared");
            Files.createDirectories(shared.resolve("inside"));
            Path section = shared.resolve("section.sh");
            Files.writeString(section, SHARED_SECTION);
            List<CliProcess> runs = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    List<String> args = new ArrayList<>(List.of(prefix));
                    args.addAll(List.of("sh", section.toString(), shared.toString(), "2", Integer.toString(patienceTenths)));
                    runs.add(CliProcess.start(dirs.directory(), Map.of(), args.toArray(new String[0])));
                }
                for (CliProcess r : runs) {
                    assertEquals(0, r.awaitExit(T), r.transcript());
                }
            } finally {
                for (CliProcess r : runs) {
                    r.close();
                }
            }
            return Files.readAllLines(shared.resolve("seen")).stream().map(String::strip).map(Integer::valueOf).toList();
        }
    }

    /** {@code command name [extra]}, and {@code --timeout 0} for {@code wait} so that it never blocks. */
    private static String[] optionsFor(String command, String name, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, name));
        args.addAll(List.of(extra));
        if (command.equals("wait")) {
            args.addAll(List.of("--timeout", "0"));
        }
        return args.toArray(new String[0]);
    }

    private static CliProcess run(TestSpaces dirs, String... args) throws InterruptedException {
        return CliProcess.run(dirs.directory(), T, args);
    }

    private static int exited(List<CliProcess> processes) {
        return (int) processes.stream().filter(p -> !p.isAlive()).count();
    }

    private static int awaitExited(List<CliProcess> processes, int count) throws InterruptedException {
        AwaitState.until(count + " waiters exited", () -> exited(processes) >= count);
        return exited(processes);
    }
}
