package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.ContractChild;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of every counting semaphore, on any backend (see {@link ContractBase} for what a
 * backend's subclass provides): at most {@link #PERMITS} holders at once across JVMs (an
 * occupancy detector and an exact tally, with a start barrier and a time box as in
 * {@link LockContract}), timeouts and {@code tryAcquire} when every permit is taken, interrupts,
 * no reentrancy (each acquisition takes another permit), release only on the acquiring thread
 * (any thread of the process for a process-owned permit: {@link #processOwnedPermits()}), and a
 * holder killed with {@code kill -9} whose permit returns and whose next taker is told.
 */
public abstract class SemaphoreContract extends ContractBase {

    /** The permits of the semaphore the contract uses. */
    public static final int PERMITS = 2;
    private static final String SEMAPHORE = "contract-sem";

    private NamedSemaphore semaphore(LockSpace space) {
        return space.semaphore(SEMAPHORE, PERMITS);
    }

    /** Whether the permits this variant takes belong to the process ({@code acquireForProcess}), not the thread. */
    protected boolean processOwnedPermits() {
        return false;
    }

    private String permitOwner() {
        return processOwnedPermits() ? ContractChild.PROCESS : ContractChild.THREAD;
    }

    private Held take(LockSpace space, Duration timeout) {
        return ContractChild.takePermit(semaphore(space), processOwnedPermits(), timeout);
    }

    private Optional<Held> tryTake(LockSpace space) {
        if (!processOwnedPermits()) {
            return semaphore(space).tryAcquire();
        }
        try {
            return Optional.of(semaphore(space).acquireForProcess(Duration.ZERO)); // zero: tries once
        } catch (LockTimeoutException none) {
            return Optional.empty();
        }
    }

    /** Takes every permit, each on a thread of its own, and returns the holds. */
    private List<Held> takeAllElsewhere(LockSpace space) throws Exception {
        List<Held> taken = new ArrayList<>();
        for (int i = 0; i < PERMITS; i++) {
            taken.add(onOtherThread(() -> take(space, AwaitState.HANG_GUARD)));
        }
        return taken;
    }

    /**
     * Returns permits the other thread took, on that thread (a process-owned permit is not returned
     * when a thread ends, and would keep this JVM's keeper thread for the tests that follow).
     */
    private void returnAll(List<Held> taken) throws Exception {
        for (Held permit : taken) {
            assertEquals(null, closeOnOtherThread(permit), "returned by the thread that took it");
        }
    }

    @Test
    void shouldAdmitAtMostItsPermitsAcrossJvmsAndCountEveryEntry() throws Exception {
        try (LockSpace space = openSpace("occupancy")) {
            Path counterFile = scratchFile("occupancy.counter");
            SharedCounter occupancy = SharedCounter.open(counterFile);
            long passes = 0;
            for (String done : ContractChild.runEach(this::startChild, LockContract.JVMS,
                    LockContract.TIME_BOX.plus(AwaitState.HANG_GUARD),
                    ContractChild.args("semhammer", childSpaceArgs("occupancy"), SEMAPHORE, PERMITS, permitOwner(), counterFile,
                            LockContract.JVMS * LockContract.THREADS, LockContract.THREADS, LockContract.ITERATIONS,
                            LockContract.TIME_BOX.toMillis()))) {
                passes += Long.parseLong(ChildMain.field(done, "iterations"));
            }
            assertTrue(occupancy.maxConcurrent() <= PERMITS,
                    occupancy.maxConcurrent() + " holders inside at once with " + PERMITS + " permits");
            assertTrue(passes >= LockContract.JVMS * LockContract.THREADS, "every thread got a permit: " + passes);
            assertEquals(passes, occupancy.tally(), "every pass entered exactly once");
            assertEquals(PERMITS, semaphore(space).availablePermits(), "every permit returned");
        }
    }

    @Test
    void shouldTimeOutAndRefuseATryWhenEveryPermitIsTaken() throws Exception {
        try (LockSpace space = openSpace("timeout")) {
            List<Held> taken = takeAllElsewhere(space);
            assertEquals(0, semaphore(space).availablePermits());
            assertRefusedUntilTheOtherThreadCloses(taken.get(0), timeout -> take(space, timeout),
                    () -> tryTake(space));
            returnAll(taken);
        }
    }

    @Test
    void shouldTakeTimeoutsBeyondWhatNanosecondsHold() throws Exception {
        try (LockSpace space = openSpace("beyond-nanos")) {
            take(space, BEYOND_NANOS).close(); // free: taken at once
            List<Held> taken = takeAllElsewhere(space);
            assertTimeoutsBeyondNanos(space, SEMAPHORE, taken.get(0), timeout -> take(space, timeout));
            returnAll(taken);
        }
    }

    @Test
    void shouldThrowLockInterruptedExceptionToAnInterruptedWaiter() throws Exception {
        try (LockSpace space = openSpace("interrupt")) {
            List<Held> taken = takeAllElsewhere(space);
            assertInterruptible(space, SEMAPHORE, () -> take(space, AwaitState.HANG_GUARD).close());
            assertEquals(0, semaphore(space).availablePermits(), "the interrupted waiter took nothing");
            returnAll(taken);
        }
    }

    @Test
    void shouldTakeAnotherPermitOnEveryAcquisitionOfOneThread() throws Exception {
        try (LockSpace space = openSpace("reentry")) {
            List<Held> mine = new ArrayList<>();
            for (int i = 0; i < PERMITS; i++) {
                mine.add(take(space, AwaitState.HANG_GUARD));
            }
            assertEquals(0, semaphore(space).availablePermits(), "one thread took every permit");
            assertThrows(LockTimeoutException.class, () -> take(space, Duration.ofMillis(50)),
                    "not reentrant: no permit is left for the same thread");
            mine.forEach(Held::close);
            assertEquals(PERMITS, semaphore(space).availablePermits());
        }
    }

    @Test
    void shouldReturnAPermitOnlyOnTheAcquiringThreadUnlessProcessOwned() throws Exception {
        try (LockSpace space = openSpace("owner")) {
            Held mine = take(space, AwaitState.HANG_GUARD);
            Throwable elsewhere = closeOnOtherThread(mine);
            if (processOwnedPermits()) {
                assertEquals(null, elsewhere, "a process-owned permit is returned from any thread");
            } else {
                assertTrue(elsewhere instanceof IllegalMonitorStateException, "got " + elsewhere);
                assertEquals(PERMITS - 1, semaphore(space).availablePermits(), "nothing returned");
                mine.close();
            }
            assertEquals(PERMITS, semaphore(space).availablePermits(), "returned by its owner");
        }
    }

    @Test
    void shouldReturnAKilledHoldersPermitAndTellItsNextTaker() throws Exception {
        try (LockSpace space = openSpace("death")) {
            List<ChildJvm> holders = new ArrayList<>();
            try {
                for (int i = 0; i < PERMITS; i++) {
                    holders.add(startChild(ContractChild.args("holdpermit", childSpaceArgs("death"), SEMAPHORE, PERMITS,
                            permitOwner())));
                    holders.get(i).awaitLine("HELD", AwaitState.HANG_GUARD);
                }
                assertTrue(tryTake(space).isEmpty(), "every permit held by the children");
                holders.get(0).kill9();
                try (Held next = take(space, AwaitState.HANG_GUARD)) {
                    assertTrue(next.previousOwnerDied(), "the next taker of the dead holder's permit is told");
                    assertTrue(tryTake(space).isEmpty(), "the living child keeps its permit");
                }
                try (Held again = take(space, AwaitState.HANG_GUARD)) {
                    assertFalse(again.previousOwnerDied(), "told once");
                }
            } finally {
                holders.forEach(ChildJvm::close);
            }
        }
    }
}
