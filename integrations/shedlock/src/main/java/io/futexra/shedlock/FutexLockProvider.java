package io.futexra.shedlock;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link LockProvider} whose locks are named futex-ra locks in one {@link LockSpace}
 * (shared memory or ZooKeeper): a task named {@code N} runs under the lock {@code "shedlock:" + N},
 * so it runs once at a time across every process that uses the space (the CLI's
 * {@code futex-ra ls} shows it). Names are limited to what a futex-ra object name allows after the
 * prefix (119 bytes of UTF-8 on shared memory).
 *
 * <p><b>Acquisition</b> never waits, as ShedLock expects: {@link #lock} returns empty when another
 * run holds the lock, in this JVM or any other. The lock is acquired on behalf of the process
 * ({@link io.futexra.NamedLock#acquireForProcess}), so a second run of the same task in the same
 * JVM is refused too (from the same thread as from another), and the release may happen on
 * another thread.
 *
 * <p><b>{@code lockAtMostFor}</b>, with {@link Expiry#AT_LOCK_AT_MOST_FOR} (the default, ShedLock's
 * contract): when it passes (on the monotonic clock, from the acquisition) and the task still runs,
 * the provider marks the run's {@link TaskLock} lost ({@link TaskLock#isHeld()} false, its
 * {@link TaskLock#onLost} actions run) and then releases the lock, so another run may start; the
 * late {@code unlock} of the first run changes nothing. With {@link Expiry#WHEN_THE_TASK_ENDS}, a
 * live task keeps the lock however long it runs, and the lock is freed only by {@code unlock} or by
 * the holder's death (shared memory: the kernel frees it at once; ZooKeeper: when its session
 * expires) — a hung task then blocks the next runs for as long as it hangs.
 *
 * <p><b>{@code lockAtLeastFor}</b> is honoured across JVMs: when a task ends before
 * {@link LockConfiguration#getLockAtLeastFor()} has passed since the lock was acquired (on the
 * monotonic clock, so a wall-clock step changes nothing), the lock stays held until then and is
 * released by this provider's timer thread. If the JVM dies in that interval, the lock is freed
 * with it, so another JVM may run the task again sooner than {@code lockAtLeastFor}.
 *
 * <p><b>Losing the lock.</b> Besides {@code lockAtMostFor}, a backend may report the lock lost while
 * the task runs (ZooKeeper: its node was deleted, its session expired or the JVM was paused past it;
 * shared memory: the space was damaged): the task is told through {@link TaskLock#isHeld()} and
 * {@link TaskLock#onLost}. A task that writes downstream should pass its
 * {@link TaskLock#fencingToken()}, so that a stale run's writes can be refused.
 *
 * <p>{@link SimpleLock#extend} is not supported (ShedLock's default throws).
 */
public final class FutexLockProvider implements LockProvider {

    /** When a run's lock is freed for others if the task is still running. */
    public enum Expiry {
        /** When {@code lockAtMostFor} has passed (ShedLock's contract): the run is told it lost the lock. */
        AT_LOCK_AT_MOST_FOR,
        /** Only when the task ends (or its holder dies): {@code lockAtMostFor} is ignored. */
        WHEN_THE_TASK_ENDS
    }

    /** Prefix of the futex-ra lock names, keeping ShedLock's names apart from other locks in the space. */
    public static final String PREFIX = "shedlock:";

    private final LockSpace space;
    private final Expiry expiry;
    /** Releases locks whose {@code lockAtLeastFor} outlasts their task, and expires runs; daemon. */
    private final ScheduledExecutorService timer;

    /**
     * Locks in {@code space}, freed for others when {@code lockAtMostFor} passes
     * ({@link Expiry#AT_LOCK_AT_MOST_FOR}); the space stays open for as long as the provider is used.
     *
     * @param space where the locks live
     */
    public FutexLockProvider(LockSpace space) {
        this(space, Expiry.AT_LOCK_AT_MOST_FOR);
    }

    /**
     * Locks in {@code space}, freed for others as {@code expiry} says.
     *
     * @param space where the locks live; it stays open for as long as the provider is used
     * @param expiry whether {@code lockAtMostFor} frees the lock of a task still running
     */
    public FutexLockProvider(LockSpace space, Expiry expiry) {
        this.space = Objects.requireNonNull(space, "space");
        this.expiry = Objects.requireNonNull(expiry, "expiry");
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "futex-ra-shedlock-timer");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
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
        TaskLock taskLock = new TaskLock(configuration.getName(), held.fencingToken(), held.previousOwnerDied(),
                held::isHeld);
        held.onLost(() -> taskLock.lose("the backend lost the lock"));
        FutexSimpleLock lock = new FutexSimpleLock(configuration, held, taskLock, acquiredNanos);
        if (expiry == Expiry.AT_LOCK_AT_MOST_FOR) {
            lock.expiring = timer.schedule(lock::expire, nanos(configuration.getLockAtMostFor()), TimeUnit.NANOSECONDS);
        }
        TaskLock.enter(taskLock);
        return Optional.of(lock);
    }

    /** {@code d} in nanoseconds; beyond 292 years, Long.MAX_VALUE ns is as good as for ever. */
    private static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) < 0 ? Math.max(0, d.toNanos()) : Long.MAX_VALUE;
    }

    /** One run's lock: released at unlock, later if {@code lockAtLeastFor} has not passed, or at {@code lockAtMostFor}. */
    private final class FutexSimpleLock implements SimpleLock {

        private final LockConfiguration configuration;
        private final Held held;
        private final TaskLock taskLock;
        /** When the lock was acquired, on {@link System#nanoTime()}'s clock. */
        private final long acquiredNanos;
        /** The {@code lockAtMostFor} expiry, if any. */
        volatile ScheduledFuture<?> expiring;
        private boolean unlocked;

        FutexSimpleLock(LockConfiguration configuration, Held held, TaskLock taskLock, long acquiredNanos) {
            this.configuration = configuration;
            this.held = held;
            this.taskLock = taskLock;
            this.acquiredNanos = acquiredNanos;
        }

        /** {@code lockAtMostFor} passed with the task still running: tell it, then free the lock. */
        void expire() {
            // a process-owned hold: any thread may close it, once (unlock's close is then a no-op); closed
            // before the task is told, so that the lock is free for others when the actions run
            taskLock.lose("lockAtMostFor (" + configuration.getLockAtMostFor() + ") passed while the task ran",
                    held::close);
        }

        @Override
        public void unlock() {
            if (unlocked) {
                throw new IllegalStateException("ShedLock lock '" + configuration.getName() + "' is already unlocked");
            }
            unlocked = true;
            TaskLock.exit(taskLock);
            taskLock.end();
            ScheduledFuture<?> expiry = expiring;
            if (taskLock.lostBecause().isPresent()) {
                held.close(); // lost or expired: the late unlock frees nothing of another run's (closing twice is harmless)
                return;
            }
            Duration keep = configuration.getLockAtLeastFor().minusNanos(System.nanoTime() - acquiredNanos);
            if (keep.isNegative() || keep.isZero()) {
                if (expiry != null) {
                    expiry.cancel(false);
                }
                held.close();
            } else { // lockAtLeastFor still runs (it is at most lockAtMostFor: the expiry may close it first)
                timer.schedule(held::close, nanos(keep), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public String toString() {
            return "futex-ra ShedLock lock '" + configuration.getName() + "' token " + taskLock.fencingToken();
        }
    }
}
