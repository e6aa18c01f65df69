package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acquisitions owned by the process: released from any thread, freed by the kernel on process death. */
@Timeout(60)
class ProcessOwnedLockTest {

    /**
     * Each task on a thread of its own: the common pool may have a single worker on 2 CPUs, and a
     * writer asleep there would hold back the release that should let it in.
     */
    private static final Executor NEW_THREAD = task -> new Thread(task).start();


    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldBeReleasableFromAnotherThreadAndSurviveItsAcquiringThread() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "proc")) {
            NamedLock lock = space.lock("tx");
            CompletableFuture<Held> acquired = new CompletableFuture<>();
            Thread acquirer = new Thread(() -> acquired.complete(lock.acquireForProcess(Duration.ofSeconds(5))));
            acquirer.start();
            Held held = acquired.get(10, TimeUnit.SECONDS);
            acquirer.join(); // the acquiring thread has ended: a thread-owned lock would now be abandoned
            assertTrue(lock.tryAcquire().isEmpty(), "still held by the process");
            ObjectInfo info = space.objects().get(0);
            assertEquals(ProcessHandle.current().pid(), info.holderPid());
            assertEquals("futex-ra-keeper", info.holderThread());
            held.close(); // on this thread, not the acquiring one
            held.close(); // harmless
            try (Held mine = lock.acquire()) {
                assertFalse(mine.previousOwnerDied(), "a process-owned lock outlives its acquiring thread");
                assertEquals(held.fencingToken() + 1, mine.fencingToken());
            }
        }
    }

    @Test
    void shouldMakeASecondProcessOwnedAcquisitionInTheSameProcessWait() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "proc2")) {
            NamedLock lock = space.lock("row-42");
            Held first = lock.acquireForProcess(Duration.ofSeconds(1));
            assertThrows(LockTimeoutException.class, () -> lock.acquireForProcess(Duration.ofMillis(200)));
            CompletableFuture<Held> second = CompletableFuture.supplyAsync(() -> lock.acquireForProcess(Duration.ofSeconds(10)));
            AwaitState.waiters(space, "row-42", 1); // the second acquisition sleeps on the word
            assertFalse(second.isDone());
            first.close();
            second.get(60, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void shouldRefuseAProcessOwnedAcquisitionOfALockThisThreadHolds() {
        try (LockSpace space = LockSpace.open(dirs.directory(), "proc3")) {
            NamedLock lock = space.lock("mine");
            try (Held h = lock.acquire()) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> lock.acquireForProcess(Duration.ofSeconds(1)));
                assertTrue(e.getMessage().contains("held by this thread"), e.getMessage());
            }
        }
    }

    @Test
    void shouldFreeAProcessOwnedLockWhenTheProcessIsKilled() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "proc4");
             ChildJvm holder = ChildJvm.start("holdproc", dirs.directory().toString(), "proc4", "tx-lock")) {
            String line = holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedLock lock = space.lock("tx-lock");
            assertTrue(lock.tryAcquire().isEmpty());
            holder.kill9();
            try (Held h = lock.acquire(Duration.ofSeconds(60))) { // a hang guard, not a bound
                assertTrue(h.previousOwnerDied());
                assertEquals(Long.parseLong(ChildMain.field(line, "tokens")) + 1, h.fencingToken());
            }
        }
    }

    @Test
    void shouldEndItsThreadsWhenEverythingIsClosed() throws Exception {
        LockSpace space = LockSpace.open(dirs.directory(), "proc5");
        Held held = space.lock("x").acquireForProcess(Duration.ofSeconds(1));
        assertTrue(threadAlive("futex-ra-keeper"));
        space.close();
        assertTrue(threadAlive("futex-ra-keeper"), "a held process-owned lock keeps the keeper");
        held.close();
        AwaitState.until("the keeper and clock threads end",
                () -> !threadAlive("futex-ra-keeper") && !threadAlive("futex-ra-clock"));
        try (LockSpace again = LockSpace.open(dirs.directory(), "proc5")) {
            Optional<Held> h = again.lock("x").tryAcquire();
            assertTrue(h.isPresent());
            assertFalse(h.get().previousOwnerDied(), "stopping the keeper must not abandon anything");
            h.get().close();
        }
    }

    /**
     * A hold closed by several threads at once is released exactly once: the next process-owned
     * acquisition, made while the closers still race, stays held; and the holds' count returns to
     * zero, so the keeper ends once everything is closed.
     */
    @Test
    void shouldReleaseAHoldOnceWhenSeveralThreadsCloseItTogether() throws Exception {
        LockSpace space = LockSpace.open(dirs.directory(), "proc6");
        NamedLock lock = space.lock("x");
        for (int round = 0; round < 100; round++) {
            Held held = lock.acquireForProcess(Duration.ofSeconds(10));
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> closers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread closer = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    held.close();
                });
                closer.start();
                closers.add(closer);
            }
            go.countDown();
            Held next = lock.acquireForProcess(Duration.ofSeconds(60)); // a hang guard, not a bound
            for (Thread closer : closers) {
                closer.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertFalse(held.isHeld());
            assertTrue(next.isHeld(), "a second close released the next hold, round " + round);
            assertTrue(lock.tryAcquire().isEmpty(), "the lock was freed under the next hold, round " + round);
            next.close();
        }
        space.close();
        AwaitState.until("the keeper and clock threads end",
                () -> !threadAlive("futex-ra-keeper") && !threadAlive("futex-ra-clock"));
    }

    /** Process-owned read holds (no holder thread per hold): shared, released from any thread. */
    @Test
    void shouldShareProcessOwnedReadHoldsAndLetAnyThreadReleaseThem() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "procread")) {
            NamedReadWriteLock rw = space.readWriteLock("catalog");
            CompletableFuture<Held> first = CompletableFuture.supplyAsync(
                    () -> rw.readLock().acquireForProcess(Duration.ofSeconds(5)), NEW_THREAD);
            Held a = first.get(10, TimeUnit.SECONDS);
            Held b = rw.readLock().acquireForProcess(Duration.ofSeconds(5)); // shared: no wait
            assertEquals(2, space.objects().get(0).readers());
            assertFalse(rw.readLock().isHeldByCurrentThread(), "owned by the process, not this thread");
            assertTrue(rw.writeLock().tryAcquire().isEmpty(), "readers inside");
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
                try (Held w = rw.writeLock().acquire(Duration.ofSeconds(30))) { // a writer's hold is its thread's
                    return w.previousOwnerDied();
                }
            }, NEW_THREAD);
            a.close(); // on this thread, not the acquiring one
            a.close(); // harmless
            assertEquals(1, space.objects().get(0).readers());
            awaitWaiter(space);
            assertFalse(writer.isDone(), "one process-owned read hold still keeps the writer out");
            CompletableFuture.runAsync(b::close, NEW_THREAD).get(10, TimeUnit.SECONDS); // on a third thread
            assertFalse(writer.get(30, TimeUnit.SECONDS), "no writer died");
            assertEquals(0, space.objects().get(0).readers());
        }
    }

    @Test
    void shouldFreeAProcessOwnedReadHoldWhenTheProcessIsKilled() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "procread2");
             ChildJvm holder = ChildJvm.start("holdprocread", dirs.directory().toString(), "procread2", "catalog")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedReadWriteLock rw = space.readWriteLock("catalog");
            assertEquals(1, space.objects().get(0).readers());
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
                try (Held w = rw.writeLock().acquire(Duration.ofSeconds(30))) { // a writer's hold is its thread's
                    return w.previousOwnerDied();
                }
            });
            awaitWaiter(space);
            assertFalse(writer.isDone(), "the process's read hold keeps the writer out");
            holder.kill9();
            assertFalse(writer.get(30, TimeUnit.SECONDS), "a reader's death is no writer's death");
            assertEquals(0, space.objects().get(0).readers(), "the dead process's read hold is free");
        }
    }

    /** Until the first object's writer sleeps, draining the readers. */
    private static void awaitWaiter(LockSpace space) throws InterruptedException {
        AwaitState.waiters(space, space.objects().get(0).name(), 1);
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
