package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's robust-list walk limit (2048 entries per dying thread): what happens beyond it,
 * and how futex-ra keeps every hold recoverable by refusing the 2001st hold of one thread; a
 * thousand waiters on one object.
 */
@Timeout(300)
class LimitsTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldRefuseMoreHoldsPerThreadThanTheKernelCanReleaseAndReleaseAllItTookOnDeath() throws Exception {
        int recovered;
        try (LockSpace space = LockSpace.open(dirs.directory(), "many");
             ChildJvm holder = ChildJvm.start("holdmany", dirs.directory().toString(), "many", "2100")) {
            String refused = holder.awaitLine("REFUSED", Duration.ofSeconds(120));
            assertEquals("2000", ChildMain.field(refused, "at"), refused);
            assertTrue(refused.contains("at most 2048") && refused.contains("Release some"), refused);
            assertEquals("2000", ChildMain.field(holder.awaitLine("HELD", Duration.ofSeconds(30)), "n"));
            holder.kill9();
            recovered = recover(space, 2000);
            assertTrue(SpaceChecker.check(dirs.directory().resolve("many.space")).isValid());
        }
        assertEquals(2000, recovered, "every hold of a killed thread must be released");
    }

    /**
     * With futex-ra's cap lifted, shows what the kernel itself does: it walks the 2048 most recent
     * entries (our list pushes at the front) and leaves the oldest held by a dead TID for ever.
     */
    @Test
    void shouldShowThatTheKernelReleasesOnly2048HoldsOfADyingThread() throws Exception {
        int held = 2100;
        try (LockSpace space = LockSpace.open(dirs.directory(), "beyond");
             ChildJvm holder = ChildJvm.startWith(List.of(), List.of("-Dfutexra.robust.limit=4096"), "holdmany",
                     dirs.directory().toString(), "beyond", Integer.toString(held))) {
            assertEquals(Integer.toString(held), ChildMain.field(holder.awaitLine("HELD", Duration.ofSeconds(120)), "n"));
            holder.kill9();
            int recovered = recover(space, held);
            List<Integer> stuck = new java.util.ArrayList<>();
            for (int i = 0; i < held; i++) {
                Optional<Held> h = space.lock("m" + i).tryAcquire();
                if (h.isEmpty()) {
                    stuck.add(i);
                } else {
                    h.get().close();
                }
            }
            SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("beyond.space"));
            System.out.println("ROBUST-LIMIT held=" + held + " recovered=" + recovered + " stuck=" + stuck.size()
                    + " (oldest " + stuck.subList(0, Math.min(3, stuck.size())) + "...) checker problems="
                    + report.problems().size());
            assertTrue(recovered >= 2040 && recovered <= 2049, "recovered " + recovered);
            assertEquals(held - recovered, stuck.size());
            assertEquals(0, (int) stuck.get(0), "the oldest holds are the ones left");
            assertEquals(stuck.size(), report.problems().size(), "the checker names each stuck word: " + report);
        }
    }

    /**
     * A thousand threads in two JVMs (small stacks) asleep on one event, then on one lock: every
     * one is woken and served, exactly once, one at a time.
     */
    @Test
    void shouldServeAThousandWaitersOnOneEventAndThenOneLock() throws Exception {
        int perJvm = 500;
        java.nio.file.Path counterFile = dirs.file("crowd.counter");
        io.futexra.testing.SharedCounter counter = io.futexra.testing.SharedCounter.open(counterFile);
        try (LockSpace space = LockSpace.open(dirs.directory(), "crowd")) {
            NamedLock lock = space.lock("gate");
            NamedEvent go = space.event("go", EventMode.MANUAL_RESET);
            List<ChildJvm> jvms = new java.util.ArrayList<>();
            try {
                for (int j = 0; j < 2; j++) {
                    jvms.add(ChildJvm.startWith(List.of(), List.of("-Xss256k"), "crowd", dirs.directory().toString(),
                            "crowd", "gate", "go", counterFile.toString(), Integer.toString(perJvm)));
                }
                for (ChildJvm c : jvms) {
                    c.awaitLine("STARTED", Duration.ofSeconds(120));
                }
                awaitWaiters(space, "go", 2 * perJvm);
                try (Held mine = lock.acquire()) {
                    go.signal();
                    awaitWaiters(space, "gate", 2 * perJvm); // all asleep on the lock this thread holds
                }
                for (ChildJvm c : jvms) {
                    assertEquals(Integer.toString(perJvm), ChildMain.field(c.awaitLine("SERVED", Duration.ofSeconds(180)), "n"));
                    assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
                }
            } finally {
                jvms.forEach(ChildJvm::close);
            }
            assertEquals(2L * perJvm, counter.count(), "each waiter served exactly once");
            assertEquals(0, counter.overlaps());
            assertEquals(2L * perJvm + 1, space.objects().stream().filter(o -> o.name().equals("gate")).findFirst()
                    .orElseThrow().acquisitions());
        }
    }

    private static void awaitWaiters(LockSpace space, String name, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = space.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().waiters();
            if (seen >= n) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("only " + seen + " of " + n + " waiters asleep on '" + name + "'");
    }

    /** Takes every lock m0..m(n-1) that comes free with previousOwnerDied; returns how many did. */
    private static int recover(LockSpace space, int n) throws InterruptedException {
        int recovered = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        boolean[] done = new boolean[n];
        while (System.nanoTime() < deadline && recovered < n) {
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    Optional<Held> h = space.lock("m" + i).tryAcquire();
                    if (h.isPresent()) {
                        assertTrue(h.get().previousOwnerDied(), "m" + i);
                        h.get().close();
                        done[i] = true;
                        recovered++;
                    }
                }
            }
            if (recovered < n) {
                Thread.sleep(100);
            }
        }
        assertFalse(recovered > n);
        return recovered;
    }
}
