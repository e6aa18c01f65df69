package io.futexra.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FutexLockRegistry} with Spring Integration's own callers in child JVMs
 * ({@link SpringChild}): {@code executeLocked} excluding across JVMs with an exact count, and
 * {@code LockRegistryLeaderInitiator} electing one leader among three JVMs, then a new one after the
 * leader is killed with SIGKILL.
 */
@Timeout(180)
class FutexLockRegistryTest {

    private static final Duration GUARD = Duration.ofSeconds(60);
    /** How long one leader must stay the only one: 20 heartbeats of the children's initiators. */
    private static final Duration STEADY = Duration.ofSeconds(2);

    private TestSpaces dirs;

    @BeforeEach
    void open() {
        dirs = new TestSpaces();
    }

    @AfterEach
    void close() throws Exception {
        dirs.close();
    }

    private ChildJvm child(String command, String... rest) {
        List<String> all = new ArrayList<>(List.of(command, dirs.directory().toString(), "spring"));
        all.addAll(List.of(rest));
        return ChildJvm.startClass(SpringChild.class, all.toArray(String[]::new));
    }

    @Test
    void shouldGiveTheSameCrossProcessLockForAKeyAndRefuseKeysThatAreNotStrings() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "spring")) {
            FutexLockRegistry registry = new FutexLockRegistry(space);
            Lock lock = registry.obtain(SpringChild.KEY);
            assertSame(lock, registry.obtain(SpringChild.KEY));
            lock.lock();
            try {
                assertTrue(space.lock(FutexLockRegistry.DEFAULT_PREFIX + SpringChild.KEY).isHeldByCurrentThread());
            } finally {
                lock.unlock();
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.obtain(42));
            assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        }
    }

    @Test
    void shouldExcludeExecuteLockedAcrossJvmsWithExactCount() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < 3; p++) {
                children.add(child("hammer", counterFile.toString(), "2", "5000"));
            }
            for (ChildJvm c : children) {
                c.awaitLine("DONE", GUARD);
                assertEquals(0, c.awaitExit(GUARD), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(0, counter.overlaps(), "two holders were inside the lock at once");
        assertEquals(3L * 2 * 5000, counter.count(), "increments were lost");
    }

    @Test
    void shouldElectOneLeaderAmongJvmsAndANewOneAfterTheLeaderIsKilled() throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        List<SharedCounter> leaders = new ArrayList<>();
        try {
            for (int p = 0; p < 3; p++) {
                Path file = dirs.file("leader-" + p);
                leaders.add(SharedCounter.open(file));
                children.add(child("elect", file.toString()));
            }
            for (ChildJvm c : children) {
                c.awaitLine("STARTED", GUARD);
            }
            int first = awaitSteadySingleLeader(children, leaders);
            assertEquals(1, leaders.get(first).count(), "the first leader was granted once");

            children.get(first).kill9();
            int second = awaitSteadySingleLeader(children, leaders);
            assertNotEquals(first, second);
            long grants = 0;
            for (int p = 0; p < children.size(); p++) {
                grants += leaders.get(p).count();
            }
            assertEquals(2, grants, "exactly two grants in all: the first leader's and its successor's");
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    /**
     * Waits until exactly one live child leads, then checks that it stays the only one, with no
     * further grant anywhere, for {@link #STEADY}; returns its index.
     */
    private static int awaitSteadySingleLeader(List<ChildJvm> children, List<SharedCounter> leaders)
            throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        int leader;
        while ((leader = singleLeader(children, leaders)) < 0) {
            assertTrue(System.nanoTime() < deadline, "no single leader emerged: " + describe(children, leaders));
            Thread.sleep(10);
        }
        long grants = totalGrants(leaders);
        long steadyUntil = System.nanoTime() + STEADY.toNanos();
        while (System.nanoTime() < steadyUntil) {
            assertEquals(leader, singleLeader(children, leaders), "leadership moved or doubled: "
                    + describe(children, leaders));
            Thread.sleep(10);
        }
        assertEquals(grants, totalGrants(leaders), "a grant happened while a leader was alive");
        return leader;
    }

    /** The index of the only live child that leads, or -1 if none or several do. */
    private static int singleLeader(List<ChildJvm> children, List<SharedCounter> leaders) {
        int found = -1;
        for (int p = 0; p < children.size(); p++) {
            long tally = leaders.get(p).tally();
            assertTrue(tally == 0 || tally == 1, "child " + p + " leads " + tally + " times");
            if (children.get(p).isAlive() && tally == 1) {
                if (found >= 0) {
                    throw new AssertionError("two leaders at once: " + describe(children, leaders));
                }
                found = p;
            }
        }
        return found;
    }

    private static long totalGrants(List<SharedCounter> leaders) {
        return leaders.stream().mapToLong(SharedCounter::count).sum();
    }

    private static String describe(List<ChildJvm> children, List<SharedCounter> leaders) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < children.size(); p++) {
            b.append("\nchild ").append(p).append(children.get(p).isAlive() ? " alive" : " dead")
                    .append(" leading=").append(leaders.get(p).tally()).append(" grants=").append(leaders.get(p).count())
                    .append('\n').append(children.get(p).transcript());
        }
        return b.toString();
    }
}
