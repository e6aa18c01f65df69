package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.Scratch;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Counting semaphores across processes: never more holders than permits, permits of the dead come back. */
@Timeout(180)
class SemaphoreTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final ExecutorService pool = scratch.pool();

    @Test
    void shouldReachButNeverExceedItsPermitsAcrossFourJvms() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < 4; p++) {
                children.add(ChildJvm.start("semhammer", dirs.directory().toString(), "sem", "mainframe", "4",
                        counterFile.toString(), "3", "1000"));
            }
            for (ChildJvm c : children) {
                c.awaitLine("DONE", Duration.ofSeconds(150));
                assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(4, counter.maxConcurrent(), "concurrency must reach 4 and never pass it");
        try (LockSpace space = LockSpace.open(dirs.directory(), "sem")) {
            ObjectInfo info = space.objects().get(0);
            assertEquals(4 * 3 * 1000, info.acquisitions());
            assertEquals(0, info.readers(), "every permit returned");
        }
    }

    @Test
    void shouldReturnThePermitsOfAKilledHolder() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "semdeath");
             ChildJvm holder = ChildJvm.start("holdpermits", dirs.directory().toString(), "semdeath", "legacy", "4", "3")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedSemaphore sem = space.semaphore("legacy", 4);
            assertEquals(1, sem.availablePermits());
            Held mine = sem.acquire(Duration.ofSeconds(60));
            assertTrue(sem.tryAcquire().isEmpty());
            var waiter = pool.submit(() -> {
                try (Held h = sem.acquire(AwaitState.HANG_GUARD)) {
                    return h.previousOwnerDied();
                }
            });
            AwaitState.waiters(space, "legacy", 1); // asleep: only the kernel's robust-futex wake can let it in
            holder.kill9();
            assertTrue(waiter.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the waiter got a dead holder's permit");
            AwaitState.until("the dead holder's other permits are back", () -> sem.availablePermits() >= 3);
            assertEquals(3, sem.availablePermits(), "all three dead permits are back; ours is still held");
            int died = 0;
            List<Held> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Held h = sem.acquire(Duration.ofSeconds(60));
                died += h.previousOwnerDied() ? 1 : 0;
                all.add(h);
            }
            assertTrue(died >= 2, "the other dead holders' permits are flagged too: " + died);
            assertTrue(sem.tryAcquire().isEmpty(), "never more than 4");
            all.forEach(Held::close);
            mine.close();
            assertEquals(4, sem.availablePermits());
        }
    }

    @Test
    void shouldTimeOutRefuseForeignReleaseAndCheckItsCount() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "semunit")) {
            NamedSemaphore sem = space.semaphore("one", 1);
            Held h = sem.acquire();
            assertThrows(LockTimeoutException.class, () -> sem.acquire(Duration.ofMillis(100)));
            Throwable t = pool.submit(() -> {
                try {
                    h.close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalMonitorStateException, "got " + t);
            assertEquals(0, sem.availablePermits());
            h.close();
            h.close();
            assertEquals(1, sem.availablePermits());
            Optional<Held> again = sem.tryAcquire();
            assertTrue(again.isPresent());
            again.get().close();
            assertThrows(IllegalArgumentException.class, () -> space.semaphore("one", 2));
            assertThrows(IllegalArgumentException.class, () -> space.semaphore("zero", 0));
            assertThrows(IllegalArgumentException.class, () -> space.semaphore("big", 65));
            assertThrows(IllegalArgumentException.class, () -> space.lock("one"), "one name, one kind");
        }
    }

    @Test
    void shouldWakeAnInterruptedWaiter() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "semint")) {
            NamedSemaphore sem = space.semaphore("one", 1);
            try (Held h = sem.acquire()) {
                CompletableFuture<Boolean> interruptedAndFlagged = new CompletableFuture<>();
                Thread waiter = new Thread(() -> {
                    try {
                        sem.acquire().close();
                        interruptedAndFlagged.complete(false); // the permit was free: wrong
                    } catch (LockInterruptedException expected) {
                        interruptedAndFlagged.complete(Thread.currentThread().isInterrupted());
                    } catch (RuntimeException | Error e) {
                        interruptedAndFlagged.completeExceptionally(e);
                    }
                });
                waiter.start();
                AwaitState.waiters(space, "one", 1);
                waiter.interrupt();
                assertTrue(interruptedAndFlagged.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                        "an interrupted waiter throws LockInterruptedException and keeps its interrupt status");
                waiter.join();
            }
        }
    }
}
