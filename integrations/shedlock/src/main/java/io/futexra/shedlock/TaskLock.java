package io.futexra.shedlock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The futex-ra lock a ShedLock task runs under, as the task sees it: ShedLock's API carries no
 * lock details to the task, so {@link FutexLockProvider} publishes them on the task's thread
 * (ShedLock locks, runs the task and unlocks on one thread) from {@code lock} until {@code unlock}.
 *
 * @param name the ShedLock name (the futex-ra lock is named {@link FutexLockProvider#PREFIX} + name)
 * @param fencingToken grows with every acquisition of the lock across all processes: hand it to a
 *     downstream system so that it can reject a stale run
 * @param previousOwnerDied the previous run's JVM died holding the lock (kill -9, crash): what that
 *     run was doing may be half done
 */
public record TaskLock(String name, long fencingToken, boolean previousOwnerDied) {

    /** Innermost last: a task may run another task under another lock name. */
    private static final ThreadLocal<Deque<TaskLock>> CURRENT = ThreadLocal.withInitial(ArrayDeque::new);

    /** The lock of the ShedLock task running on this thread, if it runs under a {@link FutexLockProvider}. */
    public static Optional<TaskLock> current() {
        return Optional.ofNullable(CURRENT.get().peek());
    }

    static void enter(TaskLock lock) {
        CURRENT.get().push(lock);
    }

    static void exit(TaskLock lock) {
        CURRENT.get().remove(lock); // normally the innermost; removing by identity copes with any order
    }
}
