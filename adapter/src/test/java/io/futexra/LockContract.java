package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.Scratch;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract of every exclusive lock (after Curator's {@code TestInterProcessMutexBase}): a
 * variant subclasses this and says how to acquire, try and hold its lock, here and in a child JVM
 * ({@code ChildMain contracthammer / contracthold} with {@link #childVariant()}). Another backend
 * (ZooKeeper) adds its subclasses.
 *
 * <p>Exclusion across two JVMs with an overlap detector and an exact plain counter (lean by
 * default: {@code -Dfutexra.contract.iterations=N} for more), timeouts and {@code tryAcquire}
 * while held elsewhere, interrupts, strictly increasing fencing tokens, release from the wrong
 * thread, reentrancy (or, for a process-owned hold, its absence), and a holder killed with
 * {@code kill -9}.
 */
@Timeout(180)
abstract class LockContract {

    private static final int ITERATIONS = Integer.getInteger("futexra.contract.iterations", 100);
    private static final String LOCK = "contract";

    @RegisterExtension
    final Scratch scratch = new Scratch();
    final TestSpaces dirs = scratch.spaces();
    final ExecutorService pool = scratch.pool();

    /** Acquires the lock {@code name}, waiting up to {@code timeout}. */
    protected abstract Held acquire(LockSpace space, String name, Duration timeout);

    /** Acquires the lock {@code name} if it is free now. */
    protected abstract Optional<Held> tryAcquire(LockSpace space, String name);

    /** Whether a hold belongs to its thread: reentrant there, refused release elsewhere. */
    protected abstract boolean threadOwned();

    /** The variant argument of {@code ChildMain contracthammer / contracthold}. */
    protected abstract String childVariant();

    /** Whether another thread finds the lock free (it takes it with tryAcquire and releases it on that thread). */
    private boolean freeElsewhere(LockSpace space) throws Exception {
        return pool.submit(() -> {
            Optional<Held> h = tryAcquire(space, LOCK);
            h.ifPresent(Held::close);
            return h.isPresent();
        }).get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldExcludeAcrossTwoJvmsWithAnExactCount() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < 2; p++) {
                children.add(ChildJvm.start("contracthammer", dirs.directory().toString(), "hammer", LOCK,
                        childVariant(), counterFile.toString(), "2", Integer.toString(ITERATIONS)));
            }
            for (ChildJvm c : children) {
                c.awaitLine("DONE", Duration.ofSeconds(150));
                assertEquals(0, c.awaitExit(AwaitState.HANG_GUARD), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(0, counter.overlaps(), "two holders at once");
        assertEquals(2L * 2 * ITERATIONS, counter.count(), "lost increments: exclusion failed");
    }

    @Test
    void shouldTimeOutAndRefuseATryWhileAnotherThreadHolds() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "timeout")) {
            Held other = pool.submit(() -> acquire(space, LOCK, AwaitState.HANG_GUARD))
                    .get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            assertThrows(LockTimeoutException.class, () -> acquire(space, LOCK, Duration.ofMillis(50)));
            assertTrue(tryAcquire(space, LOCK).isEmpty(), "tryAcquire while held elsewhere");
            pool.submit(other::close).get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            Optional<Held> free = tryAcquire(space, LOCK);
            assertTrue(free.isPresent(), "free again after the release");
            free.get().close();
        }
    }

    @Test
    void shouldThrowLockInterruptedExceptionToAnInterruptedWaiter() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "interrupt");
             Held mine = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
            CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    acquire(space, LOCK, AwaitState.HANG_GUARD).close();
                    flagKept.completeExceptionally(new AssertionError("acquired a lock that is held"));
                } catch (LockInterruptedException expected) {
                    flagKept.complete(Thread.currentThread().isInterrupted());
                } catch (RuntimeException | Error e) {
                    flagKept.completeExceptionally(e);
                }
            });
            waiter.start();
            AwaitState.waiters(space, LOCK, 1);
            waiter.interrupt();
            assertTrue(flagKept.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                    "LockInterruptedException, with the interrupt status kept");
            waiter.join();
        }
    }

    @Test
    void shouldHandOutStrictlyIncreasingFencingTokens() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "tokens")) {
            long last = 0;
            for (int i = 0; i < 10; i++) {
                long token;
                if (i % 2 == 0) {
                    try (Held h = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
                        token = h.fencingToken();
                    }
                } else {
                    token = pool.submit(() -> {
                        try (Held h = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
                            return h.fencingToken();
                        }
                    }).get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                }
                assertTrue(token > last, "token " + token + " after " + last);
                last = token;
            }
        }
    }

    @Test
    void shouldReleaseOnlyOnTheOwningThreadUnlessProcessOwned() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "owner")) {
            Held mine = acquire(space, LOCK, AwaitState.HANG_GUARD);
            Throwable elsewhere = pool.submit(() -> {
                try {
                    mine.close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }).get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            if (threadOwned()) {
                assertTrue(elsewhere instanceof IllegalMonitorStateException, "got " + elsewhere);
                assertFalse(freeElsewhere(space), "still held: nothing released");
                mine.close();
            } else {
                assertEquals(null, elsewhere, "a process-owned hold is released from any thread");
            }
            assertTrue(freeElsewhere(space), "released by its owner");
        }
    }

    @Test
    void shouldBeReentrantOnItsThreadUnlessProcessOwned() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "reentry");
             Held outer = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
            if (threadOwned()) {
                try (Held inner = acquire(space, LOCK, Duration.ZERO)) {
                    assertEquals(outer.fencingToken(), inner.fencingToken(), "a reentrant acquisition shares the token");
                }
                assertFalse(freeElsewhere(space), "the outer hold remains");
            } else {
                assertThrows(LockTimeoutException.class, () -> acquire(space, LOCK, Duration.ofMillis(50)),
                        "a process-owned hold is never reentrant: the second waits");
            }
        }
    }

    @Test
    void shouldTellTheNextHolderWhenTheHolderIsKilled() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "death");
             ChildJvm holder = ChildJvm.start("contracthold", dirs.directory().toString(), "death", LOCK, childVariant())) {
            long dead = Long.parseLong(ChildMain.field(holder.awaitLine("HELD", AwaitState.HANG_GUARD), "token"));
            assertTrue(tryAcquire(space, LOCK).isEmpty(), "held by the child");
            holder.kill9();
            try (Held next = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
                assertTrue(next.previousOwnerDied(), "the next holder is told");
                assertTrue(next.fencingToken() > dead, next.fencingToken() + " after the dead holder's " + dead);
            }
            try (Held again = acquire(space, LOCK, AwaitState.HANG_GUARD)) {
                assertFalse(again.previousOwnerDied(), "told once");
            }
        }
    }
}
