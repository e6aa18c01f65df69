package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.CallerThreads;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.ContractChild;
import io.futexra.testing.ExclusionRun;
import io.futexra.testing.Scratch;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.UriSpaceOpener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual threads (Java 21+; skipped by assumption before) as owners and waiters of the
 * shared-memory backend's primitives, beyond the contracts ({@link VirtualThreadContractsTest}):
 * what happens when a holding virtual thread ends, many virtual threads in two JVMs, the death of a
 * JVM whose virtual thread holds, and carriers never blocked in a futex wait.
 */
@Timeout(300)
class VirtualThreadsTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();

    private LockSpace space;

    @BeforeEach
    void open() {
        CallerThreads.assumeVirtualThreads();
        space = scratch.space("vt");
    }

    /** Runs {@code task} on a new virtual thread and returns its result. */
    private static <T> T onVirtualThread(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        CallerThreads.newThread(true, () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "vt-caller").start();
        return result.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldGiveEveryPrimitiveToAVirtualThread() throws Exception {
        NamedLock lock = space.lock("l");
        NamedReadWriteLock rw = space.readWriteLock("rw");
        NamedSemaphore semaphore = space.semaphore("s", 1);
        NamedEvent event = space.event("e", EventMode.AUTO_RESET);
        assertTrue(onVirtualThread(() -> {
            assertTrue(CallerThreads.isVirtual(Thread.currentThread()));
            try (Held held = lock.acquire()) {
                assertTrue(held.isHeld() && lock.isHeldByCurrentThread());
            }
            try (Held write = rw.writeLock().acquire(); Held read = rw.readLock().acquire()) { // a downgrade
                assertTrue(write.isHeld() && read.isHeld() && rw.readLock().isHeldByCurrentThread());
            }
            try (Held permit = semaphore.acquire(Duration.ofSeconds(5))) {
                assertEquals(0, semaphore.availablePermits());
                assertTrue(semaphore.tryAcquire().isEmpty());
            }
            event.signal();
            return event.await(Duration.ofSeconds(5)) && !lock.isHeldByCurrentThread();
        }));
        for (NamedLock free : List.of(lock, rw.writeLock())) {
            Optional<Held> held = free.tryAcquire();
            assertTrue(held.isPresent(), free + " free again");
            held.get().close();
        }
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void shouldRefuseAReleaseByAnyOtherThreadAndReleaseNothing() throws Exception {
        NamedLock lock = space.lock("owned");
        Held held = onVirtualThread(lock::acquire);
        assertThrows(IllegalMonitorStateException.class, held::close, "a platform thread");
        Throwable byOtherVirtual = onVirtualThread(() -> {
            try {
                held.close();
                return null;
            } catch (IllegalMonitorStateException expected) {
                return expected;
            }
        });
        assertTrue(byOtherVirtual instanceof IllegalMonitorStateException, "another virtual thread: " + byOtherVirtual);
        assertTrue(held.isHeld());
        assertTrue(lock.tryAcquire().isEmpty(), "still held by its virtual thread");
    }

    @Test
    void shouldBeReentrantPerVirtualThreadWithOneFencingToken() throws Exception {
        NamedLock lock = space.lock("reentrant");
        Held outer = onVirtualThread(() -> {
            Held first = lock.acquire();
            try (Held again = lock.acquire(); Held tried = lock.tryAcquire().orElseThrow()) {
                assertEquals(first.fencingToken(), again.fencingToken());
                assertEquals(first.fencingToken(), tried.fencingToken());
            }
            assertTrue(lock.isHeldByCurrentThread(), "the outer level still holds");
            assertThrows(IllegalStateException.class, () -> lock.acquireForProcess(Duration.ofSeconds(1)),
                    "a process-owned acquisition by the holder would wait for itself");
            return first;
        });
        assertTrue(outer.isHeld());
        assertTrue(onVirtualThread(() -> lock.tryAcquire().isEmpty()), "another virtual thread is refused");
        assertTrue(onVirtualThread(() -> {
            try {
                lock.acquireForProcess(Duration.ofMillis(50)).close();
                return false;
            } catch (LockTimeoutException expected) {
                return true;
            }
        }), "another virtual thread's process-owned acquisition waits for the hold");
    }

    /**
     * A virtual thread that ends while holding keeps its lock, as a thread that ends holding a
     * {@code ReentrantLock} does: nobody else may release it, and the lock is freed when the
     * process dies, the next holder being told.
     */
    @Test
    void shouldKeepALockWhoseVirtualThreadEndedUntilItsProcessDies() throws Exception {
        NamedLock lock = space.lock("ended");
        try (ChildJvm child = ChildJvm.startClass(VirtualThreadsChild.class, "endedholding",
                scratch.spaces().directory().toString(), "vt", "ended")) {
            child.awaitLine("ENDED", AwaitState.HANG_GUARD);
            assertTrue(lock.tryAcquire().isEmpty(), "held after its virtual thread ended");
            assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(100)));
            child.kill9();
            assertTrue(onVirtualThread(() -> {
                try (Held next = lock.acquire(AwaitState.HANG_GUARD)) {
                    return next.previousOwnerDied();
                }
            }), "told that the holding process died");
        }
    }

    @Test
    void shouldTellTheNextHolderInAnotherJvmWhenAJvmWhoseVirtualThreadHoldsIsKilled() throws Exception {
        List<String> spaceArgs = List.of(UriSpaceOpener.class.getName(),
                LockSpace.sharedMemory(scratch.spaces().directory(), "vt").toString());
        try (ChildJvm holder = ChildJvm.startClassWithClassPath(List.of(), List.of(CallerThreads.VIRTUAL_OPTION),
                System.getProperty("java.class.path"), ContractChild.class,
                ContractChild.args("hold", spaceArgs, "killed", "GREEDY"))) {
            holder.awaitLine("HELD", AwaitState.HANG_GUARD);
            NamedLock lock = space.lock("killed");
            CompletableFuture<Held> next = new CompletableFuture<>();
            CallerThreads.newThread(true, () -> {
                try {
                    next.complete(lock.acquire(AwaitState.HANG_GUARD));
                } catch (Throwable t) {
                    next.completeExceptionally(t);
                }
            }, "next-holder").start();
            AwaitState.waiters(space, "killed", 1);
            holder.kill9();
            Held held = next.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            assertTrue(held.previousOwnerDied(), "the waiting virtual thread was told");
            assertThrows(IllegalMonitorStateException.class, held::close, "its own to release");
        }
    }

    @Test
    void shouldExcludeAThousandVirtualThreadsInEachOfTwoJvms() throws Exception {
        Path counterFile = Files.createTempFile(scratch.spaces().directory(), "counter", "");
        List<String> spaceArgs = List.of(UriSpaceOpener.class.getName(),
                LockSpace.sharedMemory(scratch.spaces().directory(), "vt").toString());
        int jvms = 2;
        int threads = 1_000;
        long iterations = 5;
        ExclusionRun run = ExclusionRun.hammer(args -> ChildJvm.startClassWithClassPath(List.of(),
                        List.of(CallerThreads.VIRTUAL_OPTION), System.getProperty("java.class.path"), ContractChild.class, args),
                spaceArgs, "thousands", "GREEDY", counterFile, jvms, threads, iterations, Duration.ofSeconds(120));
        assertTrue(run.excluded(), run.toString());
        assertEquals(jvms * threads * iterations, run.passes(), run.toString());
    }

    /**
     * Two carriers and no more: a virtual thread holds the lock while 1 000 virtual threads queue
     * for it; had any waiter blocked a carrier in the kernel, the holder could not run again to
     * release it. Every waiter is served, under the overlap detector, and JFR records no pinned
     * virtual thread with a futex frame.
     */
    @Test
    void shouldServeAThousandVirtualWaitersOnTwoCarriersWithoutPinningOneInAFutexWait() throws Exception {
        Path counterFile = Files.createTempFile(scratch.spaces().directory(), "counter", "");
        Path jfr = scratch.spaces().directory().resolve("pinned.jfr");
        int waiters = 1_000;
        try (ChildJvm child = ChildJvm.startClassWithClassPath(List.of(),
                List.of("-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2"),
                System.getProperty("java.class.path"), VirtualThreadsChild.class, "carriers",
                scratch.spaces().directory().toString(), "vt", "carriers", counterFile.toString(),
                Integer.toString(waiters), jfr.toString())) {
            String served = child.awaitLine("SERVED", AwaitState.HANG_GUARD.multipliedBy(2));
            assertEquals(0, child.awaitExit(AwaitState.HANG_GUARD), child.transcript());
            SharedCounter counter = SharedCounter.open(counterFile);
            assertEquals(waiters, counter.count(), served);
            assertEquals(0, counter.overlaps(), served);
            assertEquals("0", ChildMain.field(served, "futexPinned"), child.transcript());
        }
    }

    /** A promoter that runs the dispatcher's leader on virtual threads: its wait runs on a waiter thread. */
    @Test
    void shouldDeliverSignalsThroughADispatcherWhoseLeaderIsAVirtualThread() throws Exception {
        NamedEvent event = space.event("dispatched", EventMode.AUTO_RESET);
        java.util.concurrent.BlockingQueue<Boolean> deliveries = new java.util.concurrent.LinkedBlockingQueue<>();
        try (Dispatcher dispatcher = space.dispatcher(task -> CallerThreads.newThread(true, task, "leader").start());
             AutoCloseable subscription = dispatcher.subscribe(event,
                     notice -> deliveries.add(CallerThreads.isVirtual(Thread.currentThread())))) {
            for (int i = 0; i < 3; i++) {
                event.signal();
                assertEquals(Boolean.TRUE, deliveries.poll(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                        "delivered on a virtual thread");
                AwaitState.until("the signal consumed", () -> !event.isSignaled());
            }
        }
    }

    @Test
    void shouldLeaveNoHoldOnceEveryVirtualThreadReleased() throws Exception {
        NamedLock lock = space.lock("counted");
        NamedSemaphore semaphore = space.semaphore("permits", 2);
        onVirtualThread(() -> {
            try (Held a = lock.acquire(); Held p = semaphore.acquire(); Held q = semaphore.acquireForProcess(Duration.ofSeconds(5))) {
                assertFalse(semaphore.tryAcquire().isPresent());
            }
            return null;
        });
        assertEquals(2, semaphore.availablePermits());
        assertTrue(lock.tryAcquire().map(h -> {
            h.close();
            return true;
        }).orElse(false));
    }

    /**
     * A thousand virtual threads awaiting one event queue in the JVM behind one waiter thread:
     * while they wait there are a few waiter threads, not a thousand; one pulse (signal, then
     * reset at once) of a manual-reset event releases them all, and each signal of an auto-reset
     * event exactly one.
     */
    @Test
    void shouldKeepAThousandVirtualWaitersOfOneEventBehindOneWaiterThread() throws Exception {
        int waiters = 1_000;
        NamedEvent gate = space.event("gate", EventMode.MANUAL_RESET);
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        List<Thread> threads = awaitingOn(gate, waiters, arrived, passed, failed);
        AwaitState.until("every virtual thread about to await", () -> arrived.get() == waiters);
        AwaitState.until("a waiter thread sleeping for the queue's head", () -> waiterThreads() >= 1);
        Thread.sleep(500); // the last arrivals reach the queue (were each its own waiter, a thousand would run now)
        int duringTheWait = waiterThreads();
        assertTrue(duringTheWait < 50, duringTheWait + " waiter threads for " + waiters + " waiting virtual threads");
        gate.signal();
        gate.reset(); // a pulse: the queued waiters, whose starts it passed, still pass
        joinAll(threads);
        assertEquals(waiters, passed.get(), "one pulse of a manual-reset event releases every waiter");
        assertEquals(0, failed.get());

        int turns = 100;
        NamedEvent turn = space.event("turn", EventMode.AUTO_RESET);
        AtomicInteger served = new AtomicInteger();
        threads = awaitingOn(turn, turns, new AtomicInteger(), served, failed);
        for (int i = 0; i < turns; i++) {
            turn.signal();
        }
        joinAll(threads);
        assertEquals(turns, served.get(), "each auto-reset signal releases exactly one waiter");
        assertEquals(0, failed.get());
        assertFalse(turn.isSignaled(), "every signal consumed, none twice");
    }

    /** Starts {@code count} virtual threads that each count themselves {@code arrived}, then await {@code event} once. */
    private static List<Thread> awaitingOn(NamedEvent event, int count, AtomicInteger arrived, AtomicInteger passed,
                                           AtomicInteger failed) {
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread t = CallerThreads.newThread(true, () -> {
                try {
                    arrived.incrementAndGet();
                    (event.await(AwaitState.HANG_GUARD) ? passed : failed).incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            }, "vt-waiter-" + i);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(t.isAlive(), t + " still waiting");
        }
    }

    /** Platform threads sleeping for virtual threads ({@code KernelWaiter}'s), idle ones included. */
    private static int waiterThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("futex-ra-waiter-"))
                .count();
    }
}
