package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Semaphore permits owned by the process ({@link NamedSemaphore#acquireForProcess}): returned
 * from any thread, outliving the acquiring thread, freed and flagged by the kernel when the
 * process dies, and never more of them out than permits, across JVMs. Every task runs on a thread
 * of its own (the common pool may have one worker on 2 CPUs).
 */
@Timeout(180)
class ProcessOwnedSemaphoreTest {

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldLetAnotherThreadReturnAPermitThatOutlivedItsAcquiringThread() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "procsem")) {
            NamedSemaphore sem = space.semaphore("mainframe", 2);
            CompletableFuture<Held> acquired = new CompletableFuture<>();
            Thread acquirer = new Thread(() -> acquired.complete(sem.acquireForProcess(Duration.ofSeconds(5))));
            acquirer.start();
            Held first = acquired.get(30, TimeUnit.SECONDS);
            acquirer.join(); // ended: a thread's permit would now be abandoned
            Held second = sem.acquireForProcess(Duration.ofSeconds(5)); // not reentrant: another permit
            assertEquals(0, sem.availablePermits(), "both permits out, the first after its thread ended");
            assertTrue(sem.tryAcquire().isEmpty());
            assertThrows(LockTimeoutException.class, () -> sem.acquireForProcess(Duration.ofMillis(100)));
            first.close(); // on this thread, not the acquiring one
            first.close(); // harmless
            assertEquals(1, sem.availablePermits());
            Thread closer = new Thread(second::close); // on a third thread
            closer.start();
            closer.join();
            assertEquals(2, sem.availablePermits());
            try (Held mine = sem.acquire(Duration.ofSeconds(5))) {
                assertFalse(mine.previousOwnerDied(), "a returned process-owned permit is no dead holder's");
                assertTrue(mine.fencingToken() > second.fencingToken());
            }
        }
    }

    @Test
    void shouldWakeAWaiterWhenAnotherThreadReturnsAPermit() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "procsemwait")) {
            NamedSemaphore sem = space.semaphore("one", 1);
            Held held = sem.acquireForProcess(Duration.ofSeconds(5));
            CompletableFuture<Held> waiter = new CompletableFuture<>();
            new Thread(() -> {
                try {
                    waiter.complete(sem.acquireForProcess(AwaitState.HANG_GUARD));
                } catch (RuntimeException | Error e) {
                    waiter.completeExceptionally(e);
                }
            }).start();
            AwaitState.waiters(space, "one", 1); // asleep in the kernel, not spinning
            assertFalse(waiter.isDone());
            Thread closer = new Thread(held::close);
            closer.start();
            closer.join();
            Held next = waiter.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            assertFalse(next.previousOwnerDied());
            next.close();
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldReturnAndFlagTheProcessOwnedPermitsOfAKilledProcess() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "procsemdeath");
             ChildJvm holder = ChildJvm.start("holdpermits", dirs.directory().toString(), "procsemdeath", "legacy",
                     "3", "2", "process")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedSemaphore sem = space.semaphore("legacy", 3);
            assertEquals(1, sem.availablePermits(), "the child's acquiring threads ended; its permits did not");
            Held mine = sem.acquire(Duration.ofSeconds(30));
            CompletableFuture<Boolean> waiter = new CompletableFuture<>();
            new Thread(() -> {
                try (Held h = sem.acquire(AwaitState.HANG_GUARD)) {
                    waiter.complete(h.previousOwnerDied());
                } catch (RuntimeException | Error e) {
                    waiter.completeExceptionally(e);
                }
            }).start();
            AwaitState.waiters(space, "legacy", 1); // asleep: only the kernel's death wake lets it in
            holder.kill9();
            assertTrue(waiter.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                    "the sleeping waiter got a dead process's permit, flagged");
            AwaitState.until("the dead process's permits are back", () -> sem.availablePermits() == 2);
            List<Held> taken = new ArrayList<>();
            int died = 0;
            for (int i = 0; i < 2; i++) {
                Held h = sem.acquire(Duration.ofSeconds(30));
                died += h.previousOwnerDied() ? 1 : 0;
                taken.add(h);
            }
            assertTrue(died >= 1, "the other dead permit's next taker is told too (the waiter's may be reused): " + died);
            assertTrue(sem.tryAcquire().isEmpty(), "never more than 3");
            taken.forEach(Held::close);
            mine.close();
            assertEquals(3, sem.availablePermits());
        }
    }

    @Test
    void shouldReachButNeverExceedItsPermitsWithProcessOwnedPermitsAcrossThreeJvms() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        int jvms = 3;
        int threads = 3;
        int iterations = 400;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < jvms; p++) {
                children.add(ChildJvm.start("semhammer", dirs.directory().toString(), "procsemhammer", "pool", "2",
                        counterFile.toString(), Integer.toString(threads), Integer.toString(iterations), "process"));
            }
            for (ChildJvm c : children) {
                c.awaitLine("DONE", Duration.ofSeconds(150));
                assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(2, counter.maxConcurrent(), "concurrency must reach 2 and never pass it");
        assertEquals(0, counter.overlaps());
        assertEquals((long) jvms * threads * iterations, counter.tally(), "every acquisition entered exactly once");
        try (LockSpace space = LockSpace.open(dirs.directory(), "procsemhammer")) {
            ObjectInfo info = space.objects().get(0);
            assertEquals((long) jvms * threads * iterations, info.acquisitions());
            assertEquals(0, info.readers(), "every permit returned");
            assertEquals(0, info.ownerDiedCount(), "no holder died");
        }
    }
}
