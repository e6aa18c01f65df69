package io.futexra.shedlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.testing.CallerThreads;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FutexLockProvider} under ShedLock's real {@link DefaultLockingTaskExecutor}, in this JVM and
 * in child JVMs ({@link ShedLockChild}): runs counted exactly and never overlapping, the lock
 * released after success, after an exception and at a kill -9, held for {@code lockAtLeastFor}
 * after a task that ends early, freed at {@code lockAtMostFor} (the running task told) unless asked
 * to be held until the task ends, and a second lock of a held name refused on the same thread.
 */
@Timeout(180)
class FutexLockProviderTest {

    private static final Duration GUARD = Duration.ofSeconds(60);

    private TestSpaces dirs;
    private LockSpace space;
    private LockingTaskExecutor executor;

    @BeforeEach
    void open() {
        dirs = new TestSpaces();
        space = LockSpace.open(dirs.directory(), "shed");
        executor = new DefaultLockingTaskExecutor(new FutexLockProvider(space));
    }

    @AfterEach
    void close() throws Exception {
        space.close();
        dirs.close();
    }

    private ChildJvm child(String... args) {
        List<String> all = new ArrayList<>(List.of(args[0], dirs.directory().toString(), "shed"));
        all.addAll(List.of(args).subList(1, args.length));
        return ChildJvm.startClass(ShedLockChild.class, all.toArray(String[]::new));
    }

    /** One attempt here: the task's lock if it ran, empty if ShedLock skipped it. */
    private Optional<TaskLock> tryRun(Duration lockAtLeastFor) throws Throwable {
        LockingTaskExecutor.TaskResult<TaskLock> result = executor.executeWithLock(
                () -> TaskLock.current().orElseThrow(), ShedLockChild.config(lockAtLeastFor));
        return result.wasExecuted() ? Optional.of(result.getResult()) : Optional.empty();
    }

    /** Tries until the task runs (each failed try means the lock is still held): a state, with a hang guard. */
    private TaskLock runOnceFree() throws Throwable {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            Optional<TaskLock> ran = tryRun(Duration.ZERO);
            if (ran.isPresent()) {
                return ran.get();
            }
            assertTrue(System.nanoTime() < deadline, "the lock was never released");
            Thread.sleep(5);
        }
    }

    @Test
    void shouldRunEachTimeExactlyOnceWithoutOverlapAcrossJvms() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        long runs = 0;
        long skipped = 0;
        try {
            for (int p = 0; p < 3; p++) {
                children.add(child("runs", counterFile.toString(), "2", "300"));
            }
            for (ChildJvm c : children) {
                String done = c.awaitLine("DONE", GUARD);
                runs += Long.parseLong(ChildMain.field(done, "runs"));
                skipped += Long.parseLong(ChildMain.field(done, "skipped"));
                assertEquals(0, c.awaitExit(GUARD), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(3 * 2 * 300, runs + skipped, "every attempt either ran or was skipped");
        assertEquals(0, counter.overlaps(), "two runs of the task overlapped");
        assertEquals(runs, counter.count(), "the counter must equal the runs ShedLock reported");
        assertTrue(skipped > 0, "the JVMs must really have competed for the task");
    }

    /**
     * Scheduled ticks run on virtual threads (as Spring Boot's virtual-thread scheduling does) in
     * three JVMs: each tick's task runs exactly once across them, never two at once.
     */
    @Test
    void shouldRunEachTickExactlyOnceAcrossThreeJvmsFromVirtualThreads() throws Exception {
        CallerThreads.assumeVirtualThreads();
        Path counterFile = dirs.file("ticks");
        SharedCounter counter = SharedCounter.open(counterFile);
        int ticks = 6;
        long periodMillis = 2_000;
        Path startFile = dirs.directory().resolve("ticks-start");
        List<ChildJvm> children = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (int p = 0; p < 3; p++) {
                children.add(child("ticks", counterFile.toString(), Integer.toString(ticks), Long.toString(periodMillis),
                        startFile.toString()));
            }
            for (ChildJvm c : children) {
                c.awaitLine("READY", GUARD); // started and warmed up: the first tick is not missed by a slow start
            }
            Path written = Files.writeString(dirs.directory().resolve("ticks-start.tmp"),
                    Long.toString(System.currentTimeMillis() + 1_000));
            Files.move(written, startFile, StandardCopyOption.ATOMIC_MOVE); // read whole or not at all
            for (ChildJvm c : children) {
                String done = c.awaitLine("DONE", GUARD);
                lines.add(done);
                String list = ChildMain.field(done, "ticks");
                for (String tick : list.isEmpty() ? new String[0] : list.split(",")) {
                    ran.add(Integer.parseInt(tick));
                }
                assertEquals(0, c.awaitExit(GUARD), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        Collections.sort(ran);
        List<Integer> everyTickOnce = new ArrayList<>();
        for (int k = 0; k < ticks; k++) {
            everyTickOnce.add(k);
        }
        assertEquals(everyTickOnce, ran, "each tick ran exactly once across the three JVMs: " + lines);
        assertEquals(0, counter.overlaps(), "two runs of the task overlapped");
        assertEquals(ticks, counter.count());
    }

    @Test
    void shouldReleaseAfterSuccessAndRefuseASecondRunInTheSameJvm() throws Throwable {
        TaskLock outer = executor.executeWithLock(() -> {
            TaskLock mine = TaskLock.current().orElseThrow();
            // ShedLock runs a nested call of the same name inline; another thread is refused
            Thread other = new Thread(() -> {
                try {
                    assertFalse(tryRun(Duration.ZERO).isPresent(), "a second run beside the first");
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
            other.start();
            other.join();
            return mine;
        }, ShedLockChild.config(Duration.ZERO)).getResult();
        assertEquals(ShedLockChild.TASK, outer.name());
        assertFalse(outer.previousOwnerDied());
        assertTrue(TaskLock.current().isEmpty(), "the task's lock is gone once it ended");
        TaskLock next = tryRun(Duration.ZERO).orElseThrow(() -> new AssertionError("not released after success"));
        assertTrue(next.fencingToken() > outer.fencingToken(), "fencing tokens grow with every run");
    }

    @Test
    void shouldReleaseAtOnceWithoutLockAtLeastForWhateverTheConfigurationsClock() {
        FutexLockProvider provider = new FutexLockProvider(space);
        for (int i = 0; i < 1_000; i++) { // Instant.now() is finer than ShedLock's millisecond clock
            LockConfiguration config = new LockConfiguration(Instant.now(), "immediate", Duration.ofMinutes(1),
                    Duration.ZERO);
            provider.lock(config).orElseThrow(() -> new AssertionError("an unlocked task's lock is still held"))
                    .unlock();
        }
    }

    @Test
    void shouldReleaseWhenTheTaskThrowsInAnotherJvm() throws Throwable {
        try (ChildJvm thrower = child("throws")) {
            thrower.awaitLine("THREW", GUARD);
            assertTrue(thrower.isAlive());
            TaskLock ran = tryRun(Duration.ZERO).orElseThrow(() -> new AssertionError("not released after exception"));
            assertFalse(ran.previousOwnerDied(), "a task that threw released the lock cleanly");
        }
    }

    @Test
    void shouldReleaseWhenTheRunningJvmIsKilledAndTellTheNextRun() throws Throwable {
        try (ChildJvm hung = child("hang")) {
            hung.awaitLine("RUNNING", GUARD);
            assertTrue(tryRun(Duration.ZERO).isEmpty(), "the task is running in the child");
            hung.kill9();
        }
        TaskLock next = runOnceFree();
        assertTrue(next.previousOwnerDied(), "the run after a killed run must be told: " + next);
    }

    @Test
    void shouldKeepTheLockForLockAtLeastForAfterATaskThatEndedEarly() throws Throwable {
        try (ChildJvm holder = child("atleast", "2000")) {
            String ended = holder.awaitLine("ENDED", GUARD);
            Instant until = Instant.ofEpochMilli(Long.parseLong(ChildMain.field(ended, "until")));
            Instant tried = Instant.now();
            Optional<TaskLock> attempt = tryRun(Duration.ZERO);
            if (tried.isBefore(until)) { // (on a machine slow enough to get here late, only the bound below is checked)
                assertTrue(attempt.isEmpty(), "the task ended, but lockAtLeastFor has not passed");
            }
            runOnceFree();
            Instant ranAt = Instant.now();
            assertFalse(ranAt.isBefore(until), "ran at " + ranAt + ", before lockAtLeastUntil " + until);
            assertTrue(holder.isAlive(), "released by the timer, not by the JVM's end");
        }
    }

    private static LockConfiguration config(String name, Duration lockAtMostFor) {
        return new LockConfiguration(Instant.now(), name, lockAtMostFor, Duration.ZERO);
    }

    @Test
    void shouldFreeTheLockWhenLockAtMostForPassesAndTellTheTaskStillRunning() throws Exception {
        FutexLockProvider provider = new FutexLockProvider(space);
        SimpleLock first = provider.lock(config("bounded", Duration.ofSeconds(2))).orElseThrow(); // room for a stall before the check below
        TaskLock running = TaskLock.current().orElseThrow();
        CountDownLatch told = new CountDownLatch(1);
        running.onLost(told::countDown);
        assertTrue(running.isHeld(), "held while lockAtMostFor runs");
        assertTrue(told.await(GUARD.toSeconds(), TimeUnit.SECONDS), "the running task is told when lockAtMostFor passes");
        assertFalse(running.isHeld(), "not held once lockAtMostFor passed");
        SimpleLock second = provider.lock(config("bounded", Duration.ofMinutes(10)))
                .orElseThrow(() -> new AssertionError("lockAtMostFor passed: another run may take the lock"));
        TaskLock next = TaskLock.current().orElseThrow();
        assertTrue(next.fencingToken() > running.fencingToken(), "the next run's token is above the expired run's");
        first.unlock(); // the expired run ends late: harmless
        assertTrue(next.isHeld(), "the late unlock of the expired run freed nothing of the next run's");
        assertTrue(provider.lock(config("bounded", Duration.ofMinutes(10))).isEmpty(), "the next run still holds it");
        second.unlock();
        assertFalse(next.isHeld(), "an ended run does not hold its lock");
        provider.lock(config("bounded", Duration.ofMinutes(10))).orElseThrow().unlock();
    }

    @Test
    void shouldKeepTheLockPastLockAtMostForWhenAskedToHoldItUntilTheTaskEnds() throws Exception {
        FutexLockProvider provider = new FutexLockProvider(space, FutexLockProvider.Expiry.WHEN_THE_TASK_ENDS);
        SimpleLock lock = provider.lock(config("unbounded", Duration.ofMillis(100))).orElseThrow();
        TaskLock running = TaskLock.current().orElseThrow();
        AtomicInteger told = new AtomicInteger();
        running.onLost(told::incrementAndGet);
        Thread.sleep(500);
        assertTrue(running.isHeld(), "still held five times lockAtMostFor later");
        assertTrue(provider.lock(config("unbounded", Duration.ofMillis(100))).isEmpty(), "no second run beside it");
        lock.unlock();
        assertEquals(0, told.get(), "a run that kept its lock is not told of a loss");
        provider.lock(config("unbounded", Duration.ofMillis(100))).orElseThrow().unlock();
    }

    @Test
    void shouldRefuseASecondLockOfAHeldNameFromTheSameThread() {
        FutexLockProvider provider = new FutexLockProvider(space);
        SimpleLock lock = provider.lock(config("twice", Duration.ofMinutes(1))).orElseThrow();
        assertTrue(provider.lock(config("twice", Duration.ofMinutes(1))).isEmpty(),
                "a second lock() of a held name on the holding thread is refused");
        lock.unlock();
        provider.lock(config("twice", Duration.ofMinutes(1))).orElseThrow().unlock();
    }
}
