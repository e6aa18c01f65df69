package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.ChaosBoard;
import io.futexra.testing.ChaosBoard.Section;
import io.futexra.testing.ChaosBoard.Tally;
import io.futexra.testing.ChaosWorker;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos: child JVMs loop on a GREEDY lock, a FAIR lock, a read/write lock, a semaphore and two
 * events (see {@link ChaosWorker}) while this test sends SIGKILL and SIGSTOP/SIGCONT to them at
 * random moments and restarts what it killed. Invariants checked throughout by the workers and at
 * the end here: never two holders, every abandoned section entered with
 * {@code previousOwnerDied()}, no wait past its deadline, never more permit holders than permits,
 * no increment and no signal lost beyond what the kills themselves explain, nothing left held, and
 * the space file valid ({@link SpaceChecker}).
 *
 * <p>{@code -Dfutexra.chaos.seconds=N} sets the duration (default 60; {@code -Pstress}: 600), and
 * {@code -Dfutexra.chaos.seed=S} the seed.
 */
class ChaosTest {

    private static final long SECONDS = Long.getLong("futexra.chaos.seconds", 60);
    private static final long SEED = Long.getLong("futexra.chaos.seed", System.nanoTime());
    private static final int CHILDREN = 4;
    private static final int THREADS = 3;

    private final TestSpaces dirs = new TestSpaces();
    private final List<ChildJvm> everyChild = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ChildJvm c : everyChild) {
            if (c.isAlive()) {
                c.signal("CONT"); // a stopped child dies of SIGKILL all the same; this is for tidiness
            }
            c.close();
        }
        dirs.close();
    }

    @Test
    @Timeout(value = 1800, unit = TimeUnit.SECONDS)
    void shouldLoseNothingWedgeNothingAndLetNobodyInWhileHoldersAreKilledAndStopped() throws Exception {
        Path state = dirs.file("state");
        Files.createDirectories(state);
        ChaosBoard board = ChaosBoard.open(state.resolve("board"));
        LockSpace space = LockSpace.open(dirs.directory(), "chaos");
        Path spaceFile = dirs.directory().resolve("chaos.space");
        ChildJvm[] children = new ChildJvm[CHILDREN];
        for (int i = 0; i < CHILDREN; i++) {
            children[i] = start(state, i);
        }
        for (ChildJvm c : children) {
            c.awaitLine("READY", Duration.ofSeconds(60));
        }

        SplittableRandom random = new SplittableRandom(SEED);
        long kills = 0;
        long stops = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (System.nanoTime() < end) {
            Thread.sleep(150 + random.nextInt(500));
            int i = random.nextInt(CHILDREN);
            if (random.nextBoolean()) {
                board.doom(i);             // what it leaves in the detectors no longer counts...
                children[i].kill9();       // ...and once the kernel has reaped it...
                board.clearDoomed(i);      // ...its traces are cleared
                kills++;
                children[i] = start(state, i);
            } else {
                children[i].signal("STOP");
                stops++;
                Thread.sleep(50 + random.nextInt(450));
                children[i].signal("CONT");
            }
        }
        Files.createFile(state.resolve("stop"));
        for (ChildJvm c : children) {
            c.awaitLine("STOPPED", Duration.ofSeconds(120));
            assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
        }

        List<String> violations = new ArrayList<>();
        for (ChildJvm c : everyChild) {
            c.transcript().lines().filter(l -> l.startsWith("VIOLATION") || l.startsWith("FAILED")).forEach(violations::add);
        }
        long pending = space.objects().stream().filter(o -> o.name().equals("chaos-auto")).findFirst().orElseThrow()
                .signaled() ? countPending(space) : 0;
        String figures = String.format("CHAOS seed=%d seconds=%d children=%dx%d threads iterations=%d kills=%d stops=%d"
                        + " recoveries=%d (dirty sections recovered %d) timeouts=%d violations=%d max-overshoot-ms=%d"
                        + " max-permits-in-use=%d/%d max-readers=%d signals sent=%d passed=%d pending=%d"
                        + " exclusive sections lock=%d fair=%d write=%d",
                SEED, SECONDS, CHILDREN, THREADS, board.get(Tally.ITERATIONS), kills, stops,
                board.get(Tally.RECOVERIES), board.get(Tally.DIRTY_RECOVERED), board.get(Tally.TIMEOUTS),
                board.get(Tally.VIOLATIONS), board.get(Tally.MAX_OVERSHOOT_MILLIS), board.get(Tally.MAX_PERMITS_IN_USE),
                ChaosWorker.PERMITS, board.get(Tally.MAX_READERS), board.get(Tally.SIGNALS_SENT),
                board.get(Tally.SIGNALS_PASSED), pending, board.doneCount(Section.LOCK),
                board.doneCount(Section.FAIR), board.doneCount(Section.WRITE));
        System.out.println(figures);

        assertEquals(List.of(), violations, figures);
        assertEquals(0, board.get(Tally.VIOLATIONS), figures);
        assertTrue(kills > 0 && stops > 0 && board.get(Tally.ITERATIONS) > 0, figures);
        assertTrue(board.get(Tally.MAX_PERMITS_IN_USE) <= ChaosWorker.PERMITS, figures);
        for (Section s : Section.values()) {
            long lost = board.doneCount(s) - board.plain(s);
            // a kill between the plain increment and its tally leaves the plain counter one ahead
            assertTrue(lost <= 0 && -lost <= kills, s + ": plain counter " + board.plain(s) + " against "
                    + board.doneCount(s) + " sections completed: " + (lost > 0 ? "increments lost" : "") + figures);
        }
        long sent = board.get(Tally.SIGNALS_SENT);
        long accounted = board.get(Tally.SIGNALS_PASSED) + pending;
        assertTrue(accounted <= sent, "more auto-reset passes than signals: " + figures);
        assertTrue(sent - accounted <= kills * THREADS, "signals lost beyond what kills explain: " + figures);

        SpaceChecker.Report report = SpaceChecker.check(spaceFile);
        System.out.println(report);
        assertTrue(report.isValid(), report.toString());
        assertEquals(0, report.heldWords(), "every child is gone, yet words are held: " + report);

        // nothing wedged: every object is still usable from here
        try (Held a = space.lock("chaos-lock").acquire(Duration.ofSeconds(5));
             Held b = space.lock("chaos-fair", LockOptions.fair()).acquire(Duration.ofSeconds(5));
             Held c = space.readWriteLock("chaos-rw").writeLock().acquire(Duration.ofSeconds(5));
             Held p1 = space.semaphore("chaos-sem", ChaosWorker.PERMITS).acquire(Duration.ofSeconds(5));
             Held p2 = space.semaphore("chaos-sem", ChaosWorker.PERMITS).acquire(Duration.ofSeconds(5));
             Held p3 = space.semaphore("chaos-sem", ChaosWorker.PERMITS).acquire(Duration.ofSeconds(5))) {
            assertFalse(space.semaphore("chaos-sem", ChaosWorker.PERMITS).tryAcquire().isPresent());
        }
        for (ObjectInfo o : space.objects()) {
            assertFalse(o.isHeld(), o.toString());
            assertEquals(0, o.readers(), o.toString());
        }
        space.close();
    }

    /** Pending auto-reset signals, consumed here to count them. */
    private static long countPending(LockSpace space) {
        NamedEvent auto = space.event("chaos-auto", EventMode.AUTO_RESET);
        long n = 0;
        while (auto.await(Duration.ZERO)) {
            n++;
        }
        return n;
    }

    private ChildJvm start(Path state, int index) {
        ChildJvm child = ChildJvm.start("chaos", dirs.directory().toString(), "chaos", state.toString(),
                Integer.toString(THREADS), Long.toString(SEED), Integer.toString(index));
        everyChild.add(child);
        return child;
    }
}
