package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The single-process contract of {@link NamedLock}: threads of one JVM, real futexes. */
@Timeout(60)
class NamedLockTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final LockSpace space = scratch.space("unit");
    private final ExecutorService other = scratch.otherThread();

    private boolean heldElsewhere(NamedLock lock) throws Exception {
        return other.submit(() -> {
            Optional<Held> h = lock.tryAcquire();
            h.ifPresent(Held::close);
            return h.isEmpty();
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldBeReentrantAndFreeOnlyAfterTheLastClose() throws Exception {
        NamedLock lock = space.lock("reentrant");
        Held outer = lock.acquire();
        Held inner = lock.acquire();
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(outer.fencingToken(), inner.fencingToken(), "a reentrant acquisition keeps the outer token");
        inner.close();
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(heldElsewhere(lock));
        outer.close();
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(heldElsewhere(lock));
    }

    @Test
    void shouldFreeAReentrantLockOnlyAfterTheLastCloseWhateverTheOrder() throws Exception {
        NamedLock lock = space.lock("reentrant-out-of-order");
        Held outer = lock.acquire();
        Held inner = lock.acquire();
        outer.close(); // the outer first: one level of two is left
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(heldElsewhere(lock));
        outer.close(); // a second close of the same hold releases nothing more
        assertTrue(heldElsewhere(lock));
        inner.close();
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(heldElsewhere(lock));
    }

    @Test
    void shouldReleaseALockAtOnceWhileTheThreadHasAnotherLockReentered() throws Exception {
        NamedLock first = space.lock("reentered");
        NamedLock second = space.lock("held-once");
        try (Held outer = first.acquire(); Held inner = first.acquire()) {
            Held once = second.acquire();
            once.close();
            assertFalse(second.isHeldByCurrentThread());
            assertFalse(heldElsewhere(second));
            assertTrue(heldElsewhere(first));
            assertEquals(outer.fencingToken(), inner.fencingToken());
        }
        assertFalse(heldElsewhere(first));
    }

    @Test
    void shouldSeeTheSameOwnershipThroughAnotherHandleOfTheSpace() {
        try (LockSpace second = LockSpace.open(dirs.directory(), "unit")) {
            try (Held h = space.lock("shared").acquire()) {
                assertTrue(second.lock("shared").isHeldByCurrentThread());
                try (Held again = second.lock("shared").acquire()) {
                    assertEquals(h.fencingToken(), again.fencingToken());
                }
                assertTrue(space.lock("shared").isHeldByCurrentThread());
            }
            assertFalse(second.lock("shared").isHeldByCurrentThread());
        }
    }

    @Test
    void shouldNotAcquireWithTryAcquireWhileAnotherThreadHolds() throws Exception {
        NamedLock lock = space.lock("try");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = other.submit(() -> {
            try (Held h = lock.acquire()) {
                held.countDown();
                release.await();
            }
            return null;
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        assertTrue(lock.tryAcquire().isEmpty());
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        Optional<Held> mine = lock.tryAcquire();
        assertTrue(mine.isPresent());
        mine.get().close();
    }

    @Test
    void shouldTimeOutNoEarlierThanTheTimeoutAndHoldNothing() throws Exception {
        NamedLock lock = space.lock("timeout");
        other.submit(() -> lock.acquire()).get(10, TimeUnit.SECONDS); // held by other-thread, never released
        long start = System.nanoTime();
        LockTimeoutException e = assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(300)));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 300, "returned after " + waitedMillis + " ms");
        assertTrue(waitedMillis < 5_000, "returned after " + waitedMillis + " ms");
        assertTrue(e.getMessage().contains("'timeout'") && e.getMessage().contains("held by pid"), e.getMessage());
        assertFalse(lock.isHeldByCurrentThread());
        assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ZERO));
        assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofSeconds(-5)));
    }

    @Test
    void shouldAcquireAFreeLockWithAZeroTimeout() {
        try (Held h = space.lock("zero").acquire(Duration.ZERO)) {
            assertNotNull(h);
        }
        try (Held h = space.lock("huge").acquire(Duration.ofSeconds(Long.MAX_VALUE))) {
            assertNotNull(h);
        }
    }

    @Test
    void shouldRefuseReleaseByAThreadThatDoesNotHoldIt() throws Exception {
        NamedLock lock = space.lock("wrong-thread");
        Held mine = lock.acquire();
        Throwable thrown = other.submit(() -> {
            try {
                mine.close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }).get(10, TimeUnit.SECONDS);
        assertTrue(thrown instanceof IllegalMonitorStateException, "got " + thrown);
        assertTrue(thrown.getMessage().contains("'wrong-thread'"), thrown.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "a refused release must leave the lock held");
        assertTrue(heldElsewhere(lock));
        mine.close();
        mine.close(); // harmless
        assertFalse(heldElsewhere(lock));
    }

    @Test
    void shouldNotReleaseAnotherHolderWhenAStaleHeldIsClosedAgain() throws Exception {
        NamedLock lock = space.lock("stale");
        Held mine = lock.acquire();
        mine.close();
        other.submit(() -> lock.acquire()).get(10, TimeUnit.SECONDS);
        mine.close();
        assertFalse(lock.tryAcquire().isPresent(), "the other thread still holds it");
        Held nested = other.submit(() -> lock.acquire()).get(10, TimeUnit.SECONDS);
        assertThrows(IllegalMonitorStateException.class, nested::close);
        assertFalse(lock.tryAcquire().isPresent(), "a refused close releases nothing");
    }

    @Test
    void shouldWakeAThreadAsleepInTheKernelWhenInterrupted() throws Exception {
        NamedLock lock = space.lock("interrupt");
        try (Held held = lock.acquire()) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    lock.acquire().close();
                    outcome.set(new AssertionError("acquired a held lock"));
                } catch (Throwable t) {
                    outcome.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
            }, "sleeper");
            waiter.start();
            awaitSleepers("interrupt", 1);
            waiter.interrupt();
            waiter.join(5_000);
            assertFalse(waiter.isAlive(), "the interrupt did not wake the sleeper");
            assertTrue(outcome.get() instanceof LockInterruptedException, "got " + outcome.get());
            assertTrue(flagAfter.get(), "the interrupt flag must stay set");
            assertTrue(lock.isHeldByCurrentThread());
        }
    }

    @Test
    void shouldFailAtOnceWhenAlreadyInterruptedAndTheLockIsHeld() throws Exception {
        NamedLock lock = space.lock("pre-interrupted");
        other.submit(() -> lock.acquire()).get(10, TimeUnit.SECONDS);
        Thread.currentThread().interrupt();
        try {
            assertThrows(LockInterruptedException.class, lock::acquire);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldReportOwnerDeathWhenTheOwningThreadEndsHoldingTheLock() throws Exception {
        NamedLock lock = space.lock("thread-death");
        NamedLock second = space.lock("thread-death-2");
        NamedLock middle = space.lock("thread-death-middle");
        Thread t = new Thread(() -> {
            lock.acquire();
            Held m = middle.acquire();
            second.acquire();
            m.close(); // out of order: unlinks from the middle of the robust list
        }, "dies-holding");
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive());
        for (NamedLock l : new NamedLock[] {lock, second}) {
            try (Held h = l.acquire(Duration.ofSeconds(5))) {
                assertTrue(h.previousOwnerDied(), l.name() + " should report its owner's death");
            }
        }
        try (Held h = middle.acquire(Duration.ofSeconds(5))) {
            assertFalse(h.previousOwnerDied(), "a lock released before the thread ended was not abandoned");
        }
        try (Held h = lock.acquire()) {
            assertFalse(h.previousOwnerDied(), "reported once only");
        }
    }

    @Test
    void shouldHandOutIncreasingFencingTokens() {
        long created = java.time.Instant.now().getEpochSecond() * 1_000_000_000L;
        NamedLock lock = space.lock("fence");
        long first = 0;
        long last = 0;
        for (int i = 0; i < 100; i++) {
            try (Held h = lock.acquire()) {
                assertTrue(h.fencingToken() > last);
                last = h.fencingToken();
                first = i == 0 ? last : first;
            }
        }
        assertTrue(first > created, "the first token is above the creation time in nanoseconds: " + first);
        assertEquals(first + 99, last, "then one more per acquisition");
    }

    @Test
    void shouldListObjectsWithHolderAndCounters() throws Exception {
        NamedLock lock = space.lock("listed");
        space.lock("idle");
        try (Held h = lock.acquire()) {
            ObjectInfo info = find("listed");
            assertEquals(ObjectKind.LOCK, info.kind());
            assertEquals(ProcessHandle.current().pid(), info.holderPid());
            assertTrue(info.holderTid() > 0);
            assertNotNull(info.heldSince());
            assertEquals(1, info.acquisitions());
            assertEquals(h.fencingToken(), info.fencingToken());
        }
        ObjectInfo after = find("listed");
        assertFalse(after.isHeld());
        assertEquals(0, after.holderPid());
        ObjectInfo idle = find("idle");
        assertEquals(0, idle.acquisitions());
        assertEquals(2, space.objects().size());
    }

    @Test
    void shouldCountContendedAcquisitions() throws Exception {
        NamedLock lock = space.lock("contended");
        Future<?> waiter;
        try (Held h = lock.acquire()) {
            waiter = other.submit(() -> {
                lock.acquire().close();
                return null;
            });
            awaitSleepers("contended", 1);
        }
        waiter.get(10, TimeUnit.SECONDS);
        ObjectInfo info = find("contended");
        assertEquals(2, info.acquisitions());
        assertEquals(1, info.contendedAcquisitions());
        assertEquals(0, info.waiters());
    }

    @Test
    void shouldStopHandingOutObjectsOnceClosedButReleaseWhatIsHeld() throws Exception {
        LockSpace handle = LockSpace.open(dirs.directory(), "unit");
        NamedLock lock = handle.lock("after-close");
        Held h = lock.acquire();
        handle.close();
        assertThrows(IllegalStateException.class, () -> handle.lock("x"));
        assertThrows(IllegalStateException.class, lock::acquire);
        h.close();
        assertFalse(heldElsewhere(space.lock("after-close")));
    }

    private ObjectInfo find(String name) {
        return space.objects().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no object " + name + " in " + space.objects()));
    }

    private void awaitSleepers(String name, int n) throws InterruptedException {
        AwaitState.waiters(space, name, n);
    }
}
