package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Processes in different PID namespaces (containers that share {@code /dev/shm} but not their
 * PIDs) share a space: the holder runs in a new PID namespace made with
 * {@code unshare --pid --fork --mount-proc} (root, as in CI), where it is pid 1, and this JVM,
 * outside, waits. Owner death (kill -9 of the contained holder: the waiter outside holds, told),
 * FAIR locks, read/write locks and events all work across the boundary, and the listing says the
 * holder's pid is another namespace's, never naming a thread of this one.
 */
@Timeout(180)
class PidNamespaceTest {

    private static final Duration GUARD = Duration.ofSeconds(60);
    private static final List<String> NEW_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--kill-child",
            "--mount-proc");

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    private ChildJvm contained(String... args) {
        return ChildJvm.startWith(NEW_PID_NAMESPACE, List.of(), args);
    }

    /** Runs {@code acquisition} on a thread of its own; its result: whether the previous owner died. */
    private static CompletableFuture<Boolean> waiter(Supplier<Held> acquisition) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        new Thread(() -> {
            try (Held h = acquisition.get()) {
                result.complete(h.previousOwnerDied());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "outside-waiter").start();
        return result;
    }

    @Test
    void shouldHandALockToAWaiterOutsideWhenItsHolderInAnotherPidNamespaceIsKilled() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "shared")) {
            NamedLock lock = space.lock("x");
            try (ChildJvm holder = contained("hold", dirs.directory().toString(), "shared", "x")) {
                String held = holder.awaitLine("HELD", GUARD);
                assertEquals("1", ChildMain.field(held, "pid"), "the holder is pid 1 of its own namespace");
                ObjectInfo info = space.objects().get(0);
                assertTrue(info.isHeld() && info.holderInOtherPidNamespace(), info.toString());
                assertEquals(1, info.holderPid(), "its pid as its namespace numbers it");
                assertNull(info.holderThread(), "no thread name looked up under another namespace's tid");
                assertTrue(info.holderPidNamespace() != 0, info.toString());
                try {
                    lock.acquire(Duration.ofMillis(100)).close();
                    throw new AssertionError("acquired a lock held in another PID namespace");
                } catch (LockTimeoutException expected) {
                    assertTrue(expected.getMessage().contains("another container"), expected.getMessage());
                }
                CompletableFuture<Boolean> waiter = waiter(() -> lock.acquire(GUARD));
                AwaitState.waiters(space, "x", 1);
                assertFalse(waiter.isDone(), "excluded while the contained holder lives");
                holder.kill9();
                assertTrue(waiter.get(60, TimeUnit.SECONDS), "the waiter outside holds, told previousOwnerDied");
            }
        }
    }

    @Test
    void shouldRecoverAFairLockAndAWriteLockHeldInAnotherPidNamespace() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "shared")) {
            NamedLock fair = space.lock("fair", LockOptions.fair());
            NamedReadWriteLock rw = space.readWriteLock("rw");
            try (ChildJvm fairHolder = contained("holdfair", dirs.directory().toString(), "shared", "fair");
                 ChildJvm writer = contained("holdwrite", dirs.directory().toString(), "shared", "rw")) {
                fairHolder.awaitLine("HELD", GUARD);
                writer.awaitLine("HELD", GUARD);
                CompletableFuture<Boolean> fairWaiter = waiter(() -> fair.acquire(GUARD));
                CompletableFuture<Boolean> reader = waiter(() -> rw.readLock().acquire(GUARD));
                AwaitState.waiters(space, "fair", 1);
                AwaitState.waiters(space, "rw", 1);
                assertFalse(fairWaiter.isDone() || reader.isDone(), "both excluded while the holders live");
                fairHolder.kill9();
                writer.kill9();
                assertTrue(fairWaiter.get(60, TimeUnit.SECONDS), "the FAIR lock's next in line holds, told");
                assertTrue(reader.get(60, TimeUnit.SECONDS), "the reader holds, told the writer died");
            }
        }
    }

    @Test
    void shouldDeliverEventsBothWaysBetweenPidNamespaces() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "shared")) {
            NamedEvent toOutside = space.event("out", EventMode.AUTO_RESET);
            NamedEvent toInside = space.event("in", EventMode.MANUAL_RESET);
            try (ChildJvm inside = contained("awaitevent", dirs.directory().toString(), "shared", "in",
                    "MANUAL_RESET")) {
                inside.awaitLine("WAITING", GUARD);
                AwaitState.waiters(space, "in", 1);
                toInside.signal();
                inside.awaitLine("SIGNALED", GUARD);
            }
            try (ChildJvm signaller = contained("signal", dirs.directory().toString(), "shared", "out",
                    "AUTO_RESET")) {
                assertTrue(toOutside.await(GUARD), "a signal from inside the other namespace arrives");
                signaller.awaitExit(GUARD);
            }
        }
    }
}
