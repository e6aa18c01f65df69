package io.futexra.shedlock;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link LockProvider} whose locks are named futex-ra locks in one {@link LockSpace}:
 * a task named {@code N} runs under the lock {@code "shedlock:" + N}, so it runs once at a time
 * across every process on the host that uses the space (the CLI's {@code futex-ra ls} shows it).
 *
 * <p><b>Acquisition</b> never waits, as ShedLock expects: {@link #lock} returns empty when another
 * run holds the lock, in this JVM or any other. The lock is acquired on behalf of the process
 * ({@link io.futexra.NamedLock#acquireForProcess}), so a second run of the same task in the same
 * JVM is refused too, and the release may happen on another thread.
 *
 * <p><b>{@code lockAtLeastFor}</b> is honoured across JVMs: when a task ends before
 * {@link LockConfiguration#getLockAtLeastFor()} has passed since the lock was acquired (on the
 * monotonic clock, so a wall-clock step changes nothing), the lock stays held until then and is
 * released by this provider's timer thread. If the JVM dies in
 * that interval, the kernel frees the lock at once (see below), so another JVM may run the task
 * again sooner than {@code lockAtLeastFor}.
 *
 * <p><b>{@code lockAtMostFor} is not used.</b> With a database, it is the time after which another
 * node may assume the holder died. Here the kernel detects a dead holder (kill -9, crash) the
 * moment it dies and frees its lock; the next run sees {@link TaskLock#previousOwnerDied()}. A live
 * task keeps the lock however long it runs, even past {@code lockAtMostFor}: a hung or stopped
 * (SIGSTOP) JVM is not dead, and no second run starts beside it.
 *
 * <p>{@link SimpleLock#extend} is not supported (ShedLock's default throws): nothing expires, so
 * there is nothing to extend.
 */
public final class FutexLockProvider implements LockProvider {

    /** Prefix of the futex-ra lock names, keeping ShedLock's names apart from other locks in the space. */
    public static final String PREFIX = "shedlock:";

    private final LockSpace space;
    /** Releases locks whose {@code lockAtLeastFor} outlasts their task; daemon, so it never holds the JVM up. */
    private final ScheduledExecutorService releaser;

    /** Locks in {@code space}; the space stays open for as long as the provider is used. */
    public FutexLockProvider(LockSpace space) {
        this.space = Objects.requireNonNull(space, "space");
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "futex-ra-shedlock-release");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.releaser = timer;
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        Objects.requireNonNull(configuration, "configuration");
        Held held;
        try {
            held = space.lock(PREFIX + configuration.getName()).acquireForProcess(Duration.ZERO);
        } catch (LockTimeoutException busy) {
            return Optional.empty(); // another run holds it, here or in another JVM
        } catch (IllegalStateException heldByThisThread) {
            return Optional.empty(); // this thread holds the futex-ra lock directly: the task is running
        }
        long acquiredNanos = System.nanoTime();
        TaskLock taskLock = new TaskLock(configuration.getName(), held.fencingToken(), held.previousOwnerDied());
        TaskLock.enter(taskLock);
        return Optional.of(new FutexSimpleLock(configuration, held, taskLock, acquiredNanos));
    }

    /** One run's lock: released at unlock, or later if {@code lockAtLeastFor} has not passed. */
    private final class FutexSimpleLock implements SimpleLock {

        private final LockConfiguration configuration;
        private final Held held;
        private final TaskLock taskLock;
        /** When the lock was acquired, on {@link System#nanoTime()}'s clock. */
        private final long acquiredNanos;
        private boolean unlocked;

        FutexSimpleLock(LockConfiguration configuration, Held held, TaskLock taskLock, long acquiredNanos) {
            this.configuration = configuration;
            this.held = held;
            this.taskLock = taskLock;
            this.acquiredNanos = acquiredNanos;
        }

        @Override
        public void unlock() {
            if (unlocked) {
                throw new IllegalStateException("ShedLock lock '" + configuration.getName() + "' is already unlocked");
            }
            unlocked = true;
            TaskLock.exit(taskLock);
            Duration keep = configuration.getLockAtLeastFor().minusNanos(System.nanoTime() - acquiredNanos);
            if (keep.isNegative() || keep.isZero()) {
                held.close();
            } else { // lockAtLeastFor still runs; beyond 292 years, Long.MAX_VALUE ns is as good as for ever
                long keepNanos = keep.compareTo(Duration.ofNanos(Long.MAX_VALUE)) < 0 ? keep.toNanos() : Long.MAX_VALUE;
                releaser.schedule(held::close, keepNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public String toString() {
            return "futex-ra ShedLock lock '" + configuration.getName() + "' token " + taskLock.fencingToken();
        }
    }
}
