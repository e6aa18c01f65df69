package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NamedLock#asLock()} against the behaviours the JSR-166 TCK's lock tests check (written here
 * to {@link Lock}'s contract): lock and unlock, tryLock free and held, timed tryLock, interruptible
 * and uninterruptible waits, reentrancy, unlock by a non-owner; then exclusion across child JVMs.
 */
@Timeout(120)
class LockViewTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final LockSpace space = scratch.space("view");
    private final ExecutorService other = scratch.otherThread();

    private boolean tryLockElsewhere(Lock lock) throws Exception {
        return other.submit(() -> {
            boolean got = lock.tryLock();
            if (got) {
                lock.unlock();
            }
            return got;
        }).get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldBeOneViewPerHandle() {
        NamedLock lock = space.lock("same");
        assertSame(lock.asLock(), lock.asLock());
    }

    @Test
    void shouldLockAndUnlock() throws Exception {
        Lock lock = space.lock("plain").asLock();
        lock.lock();
        assertTrue(space.lock("plain").isHeldByCurrentThread());
        assertFalse(tryLockElsewhere(lock));
        lock.unlock();
        assertFalse(space.lock("plain").isHeldByCurrentThread());
        assertTrue(tryLockElsewhere(lock));
    }

    @Test
    void shouldTryLockWhenFreeAndFailWhenHeldByAnotherThread() throws Exception {
        Lock lock = space.lock("try").asLock();
        assertTrue(lock.tryLock());
        assertFalse(tryLockElsewhere(lock));
        assertFalse(other.submit(() -> lock.tryLock(0, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS));
        lock.unlock();
        assertTrue(tryLockElsewhere(lock));
    }

    @Test
    void shouldTimeOutATimedTryLockWhileHeldAndSucceedOnceReleased() throws Exception {
        Lock lock = space.lock("timed").asLock();
        lock.lock();
        assertFalse(other.submit(() -> lock.tryLock(20, TimeUnit.MILLISECONDS)).get(30, TimeUnit.SECONDS));
        Future<Boolean> waiting = other.submit(() -> {
            boolean got = lock.tryLock(GUARD.toMillis(), TimeUnit.MILLISECONDS);
            if (got) {
                lock.unlock();
            }
            return got;
        });
        AwaitState.waiters(space, "timed", 1);
        lock.unlock();
        assertTrue(waiting.get(30, TimeUnit.SECONDS), "the release must end the timed wait with the lock");
    }

    @Test
    void shouldBeReentrantAndFreeOnlyAfterAsManyUnlocks() throws Exception {
        Lock lock = space.lock("reentrant").asLock();
        lock.lock();
        assertTrue(lock.tryLock());
        assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
        lock.lockInterruptibly();
        for (int left = 4; left > 0; left--) {
            assertFalse(tryLockElsewhere(lock), "still held " + left + " time(s)");
            lock.unlock();
        }
        assertTrue(tryLockElsewhere(lock));
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "one unlock too many");
    }

    @Test
    void shouldRefuseUnlockByANonOwnerAndReleaseNothing() throws Exception {
        Lock lock = space.lock("foreign").asLock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock of a free lock");
        lock.lock();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> other.submit(() -> {
                    lock.unlock();
                    return null;
                }).get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalMonitorStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("foreign"), e.getCause().getMessage());
        assertFalse(tryLockElsewhere(lock), "a refused foreign unlock must leave the lock held");
        lock.unlock();
    }

    @Test
    void shouldThrowFromLockInterruptiblyWhenInterruptedOnEntryEvenIfFree() {
        Lock lock = space.lock("entry").asLock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(Thread.interrupted(), "InterruptedException clears the flag");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertTrue(lock.tryLock(), "nothing was acquired by the interrupted calls");
        lock.unlock();
    }

    @Test
    void shouldEndAnInterruptibleWaitWithInterruptedException() throws Exception {
        for (boolean timed : new boolean[] {false, true}) {
            Lock lock = space.lock("interruptible-" + timed).asLock();
            lock.lock();
            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            Future<String> outcome = other.submit(() -> {
                waiter.complete(Thread.currentThread());
                try {
                    if (timed) {
                        lock.tryLock(GUARD.toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        lock.lockInterruptibly();
                    }
                    return "acquired";
                } catch (InterruptedException expected) {
                    return "interrupted, flag " + Thread.currentThread().isInterrupted();
                }
            });
            AwaitState.waiters(space, "interruptible-" + timed, 1);
            waiter.get(30, TimeUnit.SECONDS).interrupt();
            assertEquals("interrupted, flag false", outcome.get(30, TimeUnit.SECONDS), timed ? "tryLock(time)" : "lockInterruptibly");
            assertFalse(tryLockElsewhere(lock), "the interrupted waiter must not have taken the lock");
            lock.unlock();
        }
    }

    @Test
    void shouldKeepWaitingInLockWhenInterruptedAndSetTheFlagAgainOnceAcquired() throws Exception {
        Lock lock = space.lock("uninterruptible").asLock();
        lock.lock();
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        Future<String> outcome = other.submit(() -> {
            waiter.complete(Thread.currentThread());
            lock.lock();
            boolean flag = Thread.interrupted();
            lock.unlock();
            return "acquired, flag " + flag;
        });
        AwaitState.waiters(space, "uninterruptible", 1);
        waiter.get(30, TimeUnit.SECONDS).interrupt();
        AwaitState.waiters(space, "uninterruptible", 1); // still (or again) asleep on the lock after the interrupt
        assertFalse(outcome.isDone(), "lock() must not give up on an interrupt");
        lock.unlock();
        assertEquals("acquired, flag true", outcome.get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldShareAReadLockViewBetweenThreadsAndExcludeTheWriter() throws Exception {
        NamedReadWriteLock rw = space.readWriteLock("catalog");
        Lock read = rw.readLock().asLock();
        read.lock();
        assertTrue(tryLockElsewhere(read), "readers share the lock");
        assertFalse(other.submit(() -> rw.writeLock().tryAcquire().isPresent()).get(30, TimeUnit.SECONDS),
                "a writer must wait for the reader");
        read.unlock();
        assertTrue(other.submit(() -> rw.writeLock().tryAcquire().map(h -> {
            h.close();
            return true;
        }).orElse(false)).get(30, TimeUnit.SECONDS), "free for the writer once the reader unlocked");
    }

    @Test
    void shouldRefuseConditionsSayingWhy() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> space.lock("cond").asLock().newCondition());
        assertTrue(e.getMessage().contains("NamedEvent"), e.getMessage());
    }

    @Test
    void shouldFailTryLockWhileAnotherProcessHoldsItAndLockAfterThatProcessIsKilled() throws Exception {
        Lock lock = space.lock("process").asLock();
        try (ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "view", "process")) {
            holder.awaitLine("HELD", GUARD);
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(10, TimeUnit.MILLISECONDS));
            holder.kill9();
        }
        lock.lock(); // the kernel freed the dead holder's lock
        assertTrue(space.lock("process").isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void shouldExcludeAcrossProcessesWithExactCount() throws Exception {
        int processes = 2;
        int threads = 2;
        int iterations = 20_000;
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                children.add(ChildJvm.start("viewhammer", dirs.directory().toString(), "view", "counted",
                        counterFile.toString(), Integer.toString(threads), Integer.toString(iterations)));
            }
            for (ChildJvm child : children) {
                child.awaitLine("DONE", Duration.ofSeconds(90));
                assertEquals(0, child.awaitExit(GUARD), child.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(0, counter.overlaps(), "two holders were inside the lock at once");
        assertEquals((long) processes * threads * iterations, counter.count(), "increments were lost");
    }
}
