package io.futexra.shedlock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The futex-ra lock a ShedLock task runs under, as the task sees it: ShedLock's API carries no
 * lock details to the task, so {@link FutexLockProvider} publishes them on the task's thread
 * (ShedLock locks, runs the task and unlocks on one thread) from {@code lock} until {@code unlock}.
 *
 * <p>A running task can ask whether it still holds its lock ({@link #isHeld()}) and be told when it
 * stops holding it ({@link #onLost}): when {@code lockAtMostFor} passes (with the provider's default
 * {@link FutexLockProvider.Expiry#AT_LOCK_AT_MOST_FOR}), or when the backend learns that the lock was
 * lost (ZooKeeper: its node was deleted, its session expired, the JVM was paused past the session).
 * From then on another run may start; what this run still writes downstream should carry its
 * {@link #fencingToken()}, so that the downstream system can refuse it.
 */
public final class TaskLock {

    /** Innermost last: a task may run another task under another lock name. */
    private static final ThreadLocal<Deque<TaskLock>> CURRENT = ThreadLocal.withInitial(ArrayDeque::new);

    private final String name;
    private final long fencingToken;
    private final boolean previousOwnerDied;
    /** Whether the lock is still held as far as the backend knows. */
    private final BooleanSupplier backendHolds;
    /** Why the run no longer holds its lock, null while it does. Guarded by this. */
    private String lost;
    /** Whether the run ended (unlock): no action runs after that. Guarded by this. */
    private boolean ended;
    private List<Runnable> actions = new ArrayList<>();

    TaskLock(String name, long fencingToken, boolean previousOwnerDied, BooleanSupplier backendHolds) {
        this.name = name;
        this.fencingToken = fencingToken;
        this.previousOwnerDied = previousOwnerDied;
        this.backendHolds = backendHolds;
    }

    /**
     * The ShedLock name (the futex-ra lock is named {@link FutexLockProvider#PREFIX} + name).
     *
     * @return the task's lock name
     */
    public String name() {
        return name;
    }

    /**
     * Grows with every acquisition of the lock across all processes: hand it to a downstream
     * system so that it can reject a stale run.
     *
     * @return the run's fencing token
     */
    public long fencingToken() {
        return fencingToken;
    }

    /**
     * Whether the previous run's holder died holding the lock (kill -9, crash; on ZooKeeper also a
     * session that expired): what that run was doing may be half done.
     *
     * @return whether the previous holder died holding the lock
     */
    public boolean previousOwnerDied() {
        return previousOwnerDied;
    }

    /**
     * Whether this run still holds its lock, as far as can be told now: false once
     * {@code lockAtMostFor} has passed (with {@link FutexLockProvider.Expiry#AT_LOCK_AT_MOST_FOR}), once
     * the backend reports the lock lost, and once the run has ended.
     *
     * @return whether the run still holds its lock
     */
    public boolean isHeld() {
        synchronized (this) {
            if (lost != null || ended) {
                return false;
            }
        }
        return backendHolds.getAsBoolean();
    }

    /**
     * Asks to be told when this run stops holding its lock other than by ending: {@code action}
     * runs once, on a thread of the provider or the backend (keep it short: set a flag, interrupt
     * the task's thread), when {@code lockAtMostFor} passes or the backend reports a loss; at once
     * on the calling thread if that already happened; never after the run ended.
     *
     * @param action what to run on the loss
     * @return this lock
     */
    public TaskLock onLost(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (ended) {
                return this;
            }
            if (lost == null) {
                actions.add(action);
                return this;
            }
        }
        action.run();
        return this;
    }

    /** Why the run lost its lock, if it did. */
    synchronized Optional<String> lostBecause() {
        return Optional.ofNullable(lost);
    }

    /**
     * The lock of the ShedLock task running on this thread, if it runs under a {@link FutexLockProvider}.
     *
     * @return the running task's lock, or empty
     */
    public static Optional<TaskLock> current() {
        return Optional.ofNullable(CURRENT.get().peek());
    }

    /** The run no longer holds its lock, for {@code why}: runs the actions once, unless the run ended. */
    void lose(String why) {
        lose(why, () -> { });
    }

    /**
     * Like {@link #lose(String)}, running {@code first} once the loss is recorded and before the
     * actions (the provider frees the lock there, so that an action may count on it being free).
     */
    void lose(String why, Runnable first) {
        List<Runnable> run;
        synchronized (this) {
            if (lost != null || ended) {
                return;
            }
            lost = why;
            run = actions;
            actions = List.of();
        }
        first.run();
        for (Runnable action : run) {
            action.run();
        }
    }

    /** The run ended (unlock): no action runs from now on. */
    void end() {
        synchronized (this) {
            ended = true;
            actions = List.of();
        }
    }

    static void enter(TaskLock lock) {
        CURRENT.get().push(lock);
    }

    static void exit(TaskLock lock) {
        CURRENT.get().remove(lock); // normally the innermost; removing by identity copes with any order
    }

    @Override
    public String toString() {
        return "TaskLock['" + name + "', token " + fencingToken + (previousOwnerDied ? ", previous owner died" : "")
                + (lostBecause().map(why -> ", lost: " + why).orElse("")) + "]";
    }
}
