package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.ContractChild;
import io.futexra.testing.ExclusionRun;
import io.futexra.testing.LockVariant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of every exclusive lock (after Curator's {@code TestInterProcessMutexBase}), on any
 * backend: a subclass says how to open a space here ({@link #openSpace}) and in a child JVM
 * ({@link #childSpaceArgs}), and which hold it takes ({@link #variant}, {@link #ownership}).
 *
 * <p>Exclusion across JVMs with an overlap detector and an exact plain counter ({@link
 * #exclusion}: a start barrier, then every thread hammers for a time box; {@code CasLessLockTest}
 * shows it failing on a lock without its compare-and-set), timeouts and {@code tryAcquire} while
 * held elsewhere, interrupts, strictly increasing fencing tokens, release from the wrong thread,
 * reentrancy (or what a process-owned hold does instead), and a holder killed with {@code kill -9}.
 */
public abstract class LockContract extends ContractBase {

    /** Child JVMs of the exclusion check. */
    public static final int JVMS = 2;
    /** Threads per child JVM of the exclusion check. */
    public static final int THREADS = 8;
    /** Passes per thread at most ({@code -Dfutexra.contract.iterations}). */
    public static final long ITERATIONS = Long.getLong("futexra.contract.iterations", 50_000);
    /** How long the threads hammer at most, once all have met at the barrier ({@code -Dfutexra.contract.millis}). */
    public static final Duration TIME_BOX = Duration.ofMillis(Long.getLong("futexra.contract.millis", 2_000));
    private static final String LOCK = "contract";

    /** How a variant's holds belong to their holder. */
    public enum Ownership {
        /** The acquiring thread's: reentrant there, release from another thread refused. */
        THREAD,
        /** The process's: any thread releases it; a second acquisition in the process waits for the first. */
        PROCESS,
        /** A JCA connection's (the server process's): any thread releases it; the holding thread's second acquisition is refused. */
        CONNECTION
    }

    /** Which hold of the space's lock this variant takes, here and in child JVMs. */
    protected abstract LockVariant variant();

    /** How the variant's holds belong to their holder; by default {@link LockVariant#threadOwned()}. */
    protected Ownership ownership() {
        return variant().threadOwned() ? Ownership.THREAD : Ownership.PROCESS;
    }

    private Held acquire(LockSpace space, Duration timeout) {
        return variant().acquire(space, LOCK, timeout);
    }

    private Optional<Held> tryAcquire(LockSpace space) {
        return variant().tryAcquire(space, LOCK);
    }

    /**
     * The exclusion check: {@link #JVMS} child JVMs × {@link #THREADS} threads hammer lock
     * {@code contract} of the space that {@code spaceArgs} opens with {@code variant}'s holds,
     * starting together, each for up to {@link #ITERATIONS} passes or the {@link #TIME_BOX}.
     */
    public static ExclusionRun exclusion(ContractChild.Starter starter, List<String> spaceArgs, String variant,
                                         Path counterFile) throws Exception {
        return ExclusionRun.hammer(starter, spaceArgs, LOCK, variant, counterFile, JVMS, THREADS, ITERATIONS, TIME_BOX);
    }

    /** Whether another thread finds the lock free (it takes it with tryAcquire and releases it on that thread). */
    private boolean freeElsewhere(LockSpace space) throws Exception {
        return onOtherThread(() -> {
            Optional<Held> h = tryAcquire(space);
            h.ifPresent(Held::close);
            return h.isPresent();
        });
    }

    @Test
    void shouldExcludeAcrossJvmsWithAnExactCount() throws Exception {
        try (LockSpace space = openSpace("exclusion")) {
            ExclusionRun run = exclusion(this::startChild, childSpaceArgs("exclusion"), variant().name(),
                    scratchFile("exclusion.counter"));
            assertTrue(run.passes() >= JVMS * THREADS, "every thread got the lock at least once: " + run);
            assertTrue(run.excluded(), "two holders at once: " + run);
        }
    }

    @Test
    void shouldTimeOutAndRefuseATryWhileAnotherThreadHolds() throws Exception {
        try (LockSpace space = openSpace("timeout")) {
            Held other = onOtherThread(() -> acquire(space, AwaitState.HANG_GUARD));
            assertRefusedUntilTheOtherThreadCloses(other, timeout -> acquire(space, timeout), () -> tryAcquire(space));
        }
    }

    @Test
    void shouldTakeTimeoutsBeyondWhatNanosecondsHold() throws Exception {
        try (LockSpace space = openSpace("beyond-nanos")) {
            acquire(space, BEYOND_NANOS).close(); // free: taken at once
            Held other = onOtherThread(() -> acquire(space, AwaitState.HANG_GUARD));
            assertTimeoutsBeyondNanos(space, LOCK, other, timeout -> acquire(space, timeout));
        }
    }

    @Test
    void shouldThrowLockInterruptedExceptionToAnInterruptedWaiter() throws Exception {
        try (LockSpace space = openSpace("interrupt");
             Held mine = acquire(space, AwaitState.HANG_GUARD)) {
            assertInterruptible(space, LOCK, () -> acquire(space, AwaitState.HANG_GUARD).close());
        }
    }

    @Test
    void shouldHandOutStrictlyIncreasingFencingTokens() throws Exception {
        try (LockSpace space = openSpace("tokens")) {
            long last = 0;
            for (int i = 0; i < 10; i++) {
                long token;
                if (i % 2 == 0) {
                    try (Held h = acquire(space, AwaitState.HANG_GUARD)) {
                        token = h.fencingToken();
                    }
                } else {
                    token = onOtherThread(() -> {
                        try (Held h = acquire(space, AwaitState.HANG_GUARD)) {
                            return h.fencingToken();
                        }
                    });
                }
                assertTrue(token > last, "token " + token + " after " + last);
                last = token;
            }
        }
    }

    @Test
    void shouldReleaseOnlyOnTheOwningThreadUnlessProcessOwned() throws Exception {
        try (LockSpace space = openSpace("owner")) {
            Held mine = acquire(space, AwaitState.HANG_GUARD);
            Throwable elsewhere = closeOnOtherThread(mine);
            if (ownership() == Ownership.THREAD) {
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
        try (LockSpace space = openSpace("reentry");
             Held outer = acquire(space, AwaitState.HANG_GUARD)) {
            switch (ownership()) {
                case THREAD -> {
                    try (Held inner = acquire(space, Duration.ZERO)) {
                        assertEquals(outer.fencingToken(), inner.fencingToken(), "a reentrant acquisition shares the token");
                    }
                    assertFalse(freeElsewhere(space), "the outer hold remains");
                }
                case PROCESS -> assertThrows(LockTimeoutException.class, () -> acquire(space, Duration.ofMillis(50)),
                        "a process-owned hold is never reentrant: the second waits");
                case CONNECTION -> assertThrows(IllegalStateException.class, () -> acquire(space, Duration.ofMillis(50)),
                        "a connection's hold is never reentrant: the holding thread is refused");
            }
        }
    }

    @Test
    void shouldTellTheNextHolderWhenTheHolderIsKilled() throws Exception {
        try (LockSpace space = openSpace("death");
             ChildJvm holder = startChild(ContractChild.args("hold", childSpaceArgs("death"), LOCK, variant().name()))) {
            long dead = Long.parseLong(ChildMain.field(holder.awaitLine("HELD", AwaitState.HANG_GUARD), "token"));
            assertTrue(tryAcquire(space).isEmpty(), "held by the child");
            holder.kill9();
            try (Held next = acquire(space, AwaitState.HANG_GUARD)) {
                assertTrue(next.previousOwnerDied(), "the next holder is told");
                assertTrue(next.fencingToken() > dead, next.fencingToken() + " after the dead holder's " + dead);
            }
            try (Held again = acquire(space, AwaitState.HANG_GUARD)) {
                assertFalse(again.previousOwnerDied(), "told once");
            }
        }
    }
}
