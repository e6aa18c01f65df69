package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.core.SpaceChecker;
import io.futexra.testing.AwaitState;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos for shell jobs: loops of {@code futex-ra run --lock} processes while a killer sends
 * SIGKILL (to a whole job: its {@code futex-ra} and its command) and SIGSTOP/SIGCONT at random.
 * The critical section marks itself inside (an {@code mkdir} overlap detector) and dirty while it
 * works; a holder that finds the section dirty must have been told the previous owner died
 * ({@code FUTEX_RA_PREVIOUS_OWNER_DIED=1}), and repairs. Afterwards the space must be valid and
 * the lock free. {@code -Dfutexra.cli.chaos.seconds=N} sets the least duration (default 20 here);
 * the chaos goes on after it until the jobs have made progress ({@value #MIN_SECTIONS} sections, a
 * kill and a recovery), however slow the machine, up to a hang guard of 10 times the duration.
 */
@Timeout(900)
class RunChaosIT {

    private static final long SECONDS = Long.getLong("futexra.cli.chaos.seconds", 20);
    private static final int WORKERS = 4;
    private static final int MIN_SECTIONS = 20;

    /** $1: the shared directory. Repair if told of a death, check, mark, work, unmark. */
    private static final String CRITICAL_SECTION = """
            d=$1
            if [ "$FUTEX_RA_PREVIOUS_OWNER_DIED" = 1 ]; then
                echo "$FUTEX_RA_FENCING_TOKEN" >> "$d/recoveries"
                rm -f "$d/dirty"; rmdir "$d/inside" 2>/dev/null
            fi
            mkdir "$d/inside" 2>/dev/null || echo "overlap token=$FUTEX_RA_FENCING_TOKEN" >> "$d/overlaps"
            [ -e "$d/dirty" ] && echo "dirty but not told token=$FUTEX_RA_FENCING_TOKEN" >> "$d/unflagged"
            touch "$d/dirty"
            sleep 0.0$(( ($$ % 5) + 1 ))
            echo "$FUTEX_RA_FENCING_TOKEN" >> "$d/entries"
            rm -f "$d/dirty"
            rmdir "$d/inside"
            """;

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldLetNobodyInTwiceAndFlagEveryAbandonedSectionWhileJobsAreKilledAndStopped() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            Path shared = dirs.file("shared");
            Files.createDirectories(shared);
            Path critical = shared.resolve("critical.sh");
            Files.writeString(critical, CRITICAL_SECTION);
            String loop = "while :; do \"$0\" run --lock chaos --timeout 30s -- sh \"$1\" \"$2\"; done";
            List<CliProcess> workers = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(Long.getLong("futexra.chaos.seed", System.nanoTime()));
            int kills = 0;
            int stops = 0;
            try {
                for (int w = 0; w < WORKERS; w++) {
                    workers.add(CliProcess.startCommand(dirs.directory(), Map.of(), List.of("sh", "-c", loop,
                            CliProcess.SCRIPT.toString(), critical.toString(), shared.toString())));
                }
                long start = System.nanoTime();
                long least = TimeUnit.SECONDS.toNanos(SECONDS);
                while (System.nanoTime() - start < least
                        || !progressed(shared, kills) && System.nanoTime() - start < 10 * least) {
                    Thread.sleep(200 + random.nextInt(400));
                    // two kills in three go to the job holding the lock now (that is what needs recovery)
                    Optional<ProcessHandle> job = random.nextInt(3) != 0
                            ? holder(dirs.directory(), workers)
                            : futexRaOf(workers.get(random.nextInt(WORKERS)));
                    if (job.isEmpty()) {
                        continue;
                    }
                    if (random.nextInt(3) == 0) {
                        stopAWhile(job.get(), 100 + random.nextInt(400));
                        stops++;
                    } else if (killJob(job.get())) {
                        kills++;
                    }
                }
            } finally {
                for (CliProcess worker : workers) {
                    worker.descendants().forEach(ProcessHandle::destroyForcibly);
                    worker.close();
                }
            }
            List<String> entries = lines(shared.resolve("entries"));
            List<String> recoveries = lines(shared.resolve("recoveries"));
            System.out.printf("futex-ra run chaos: %d s, %d sections completed, %d kills, %d stops, %d recoveries%n",
                    SECONDS, entries.size(), kills, stops, recoveries.size());
            assertEquals(List.of(), lines(shared.resolve("overlaps")), "two holders at once");
            assertEquals(List.of(), lines(shared.resolve("unflagged")), "an abandoned section not flagged");
            assertTrue(entries.size() >= MIN_SECTIONS, "the jobs must really run (hung?): " + entries.size());
            assertTrue(kills > 0 && !recoveries.isEmpty(), "kills " + kills + ", recoveries " + recoveries.size());
            SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("default.space"));
            assertTrue(report.isValid(), report.toString());
            try (LockSpace space = LockSpace.open(dirs.directory(), "default")) {
                AwaitState.until("nothing held once every job is gone", () -> !AwaitState.info(space, "chaos").isHeld());
                assertTrue(space.lock("chaos").tryAcquire().map(h -> {
                    h.close();
                    return true;
                }).orElse(false));
            }
        }
    }

    /** The {@code futex-ra} JVM holding the lock now, found through the space's listing. */
    private static Optional<ProcessHandle> holder(Path dir, List<CliProcess> workers) {
        try (LockSpace space = LockSpace.open(dir, "default")) {
            int pid = space.objects().stream().filter(o -> o.name().equals("chaos")).mapToInt(ObjectInfo::holderPid)
                    .findFirst().orElse(0);
            return workers.stream().map(RunChaosIT::futexRaOf).flatMap(Optional::stream)
                    .filter(p -> p.pid() == pid).findFirst();
        }
    }

    /** The {@code futex-ra} JVM of a worker's current job, if it is running one. */
    private static Optional<ProcessHandle> futexRaOf(CliProcess worker) {
        return worker.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    /**
     * A job's death: its command is frozen first, then its {@code futex-ra} killed, then the
     * command: so the lock is abandoned (not released by a normal exit of the command) while
     * nothing of the job runs any more.
     */
    private static boolean killJob(ProcessHandle futexRa) throws Exception {
        List<ProcessHandle> command = futexRa.descendants().toList();
        for (ProcessHandle p : command) {
            signal("STOP", p.pid());
        }
        boolean killed = futexRa.destroyForcibly();
        futexRa.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle p : command) {
            p.destroyForcibly();
        }
        return killed;
    }

    private static void stopAWhile(ProcessHandle futexRa, int millis) throws Exception {
        signal("STOP", futexRa.pid());
        Thread.sleep(millis);
        signal("CONT", futexRa.pid());
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** Whether the jobs have done enough to judge: {@value #MIN_SECTIONS} sections, a kill, a recovery. */
    private static boolean progressed(Path shared, int kills) throws IOException {
        return kills > 0 && lines(shared.resolve("entries")).size() >= MIN_SECTIONS
                && !lines(shared.resolve("recoveries")).isEmpty();
    }
}
