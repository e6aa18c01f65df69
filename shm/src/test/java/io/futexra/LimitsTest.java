package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No cap on the locks one thread holds (the kernel's robust-list walk limit of 2048 entries no
 * longer applies to locks: only each thread's alive word is on its list); a
 * thousand waiters on one object.
 */
@Timeout(300)
class LimitsTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    /**
     * No hold cap: one thread of a child JVM holds 10 000 locks (five times the kernel's robust-list
     * walk limit, which no longer matters: only the thread's alive word is on its list); after
     * kill -9 a waiter asleep on one of them in this JVM is woken by the kernel and takes it over,
     * and every other one is taken over, told, by the next acquirer.
     */
    @Test
    void shouldRecoverAllTenThousandLocksOfAKilledThread() throws Exception {
        int held = 10_000;
        try (LockSpace space = LockSpace.open(dirs.directory(), "many", SpaceOptions.defaults().withCapacity(16_384));
             ChildJvm holder = ChildJvm.start("holdmany", dirs.directory().toString(), "many", Integer.toString(held))) {
            assertEquals(Integer.toString(held), ChildMain.field(holder.awaitLine("HELD", Duration.ofSeconds(180)), "n"),
                    holder.transcript());
            NamedLock last = space.lock("m" + (held - 1));
            CompletableFuture<Boolean> waiter = new CompletableFuture<>();
            Thread waiting = new Thread(() -> {
                try (Held h = last.acquire(AwaitState.HANG_GUARD)) {
                    waiter.complete(h.previousOwnerDied());
                } catch (RuntimeException | Error e) {
                    waiter.completeExceptionally(e);
                }
            }, "waiter-on-the-last");
            waiting.start();
            AwaitState.waiters(space, last.name(), 1); // asleep in the kernel before the kill
            holder.kill9();
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "the sleeping waiter takes over, told");
            int recovered = recover(space, held - 1);
            assertEquals(held - 1, recovered, "every hold of a killed thread must be released");
            SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("many.space"));
            assertTrue(report.isValid(), report.toString());
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
                AwaitState.waiters(space, "go", 2 * perJvm);
                try (Held mine = lock.acquire()) {
                    go.signal();
                    AwaitState.waiters(space, "gate", 2 * perJvm); // all asleep on the lock this thread holds
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

    /** Takes every lock m0..m(n-1) that comes free with previousOwnerDied; returns how many did. */
    private static int recover(LockSpace space, int n) throws InterruptedException {
        boolean[] done = new boolean[n];
        int[] recovered = {0};
        AwaitState.until("every hold of the killed thread released (" + n + ")", () -> { // the first pass takes them all
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    Optional<Held> h = space.lock("m" + i).tryAcquire();
                    if (h.isPresent()) {
                        assertTrue(h.get().previousOwnerDied(), "m" + i);
                        h.get().close();
                        done[i] = true;
                        recovered[0]++;
                    }
                }
            }
            return recovered[0] == n;
        });
        return recovered[0];
    }
}
