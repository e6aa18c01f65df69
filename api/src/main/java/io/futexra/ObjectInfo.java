package io.futexra;

import java.time.Instant;

/**
 * A snapshot of one named object, read from the space without taking any lock: the fields are
 * each current but may be from slightly different moments.
 *
 * <p>Some fields are what shared memory knows and other backends may not: the holder's process and
 * kernel thread ids and thread name (a backend spanning hosts fills what it can and documents it;
 * a holder on another host has no pid here), and the spin limit.
 *
 * @param name the object's name
 * @param kind what it is; {@code null} for an object whose registration the backend cannot read
 *     (ZooKeeper: a registry znode written by another program or damaged), listed rather than
 *     failing the whole listing, with {@code holderThread} saying what the registration holds, escaped
 * @param holderPid process id of the holder, 0 when not held (shared memory)
 * @param holderTid kernel thread id of the holder, 0 when not held (shared memory; other backends
 *     give a non-zero value while held, so that {@link #isHeld()} holds for every backend)
 * @param holderThread the holder thread's name as the kernel knows it (at most 15 characters),
 *     or {@code null} when not held or not visible from this process (shared memory)
 * @param heldSince when the current holder acquired it (to about 10 ms), or {@code null}
 * @param waiters threads asleep waiting for it now (approximate: a waiter killed while asleep
 *     stays counted); owner-death watchers are not waiters
 * @param watchers owner-death watchers asleep on it now (locks; 0 for other kinds): they wait for
 *     its holder's death, not for the lock, and never make an acquisition contended
 * @param acquisitions acquisitions (events: signals) since the space was created
 * @param contendedAcquisitions acquisitions that had to spin or sleep for another holder
 * @param ownerDiedCount acquisitions that found the previous owner dead
 * @param fencingToken the last fencing token handed out
 * @param abandoned whether its last holder died and nobody has acquired it since
 * @param policy a lock's policy ({@code GREEDY} or {@code FAIR}); {@code null} for other kinds
 * @param spinLimit how often a waiter re-checks before sleeping (0 for events; shared memory only)
 * @param readers read holds now (read/write locks); semaphores: permits in use
 * @param permits a semaphore's permits (0 for other kinds)
 * @param signaled an event's state: signaled (manual reset) or signals pending (auto reset)
 * @param eventMode an event's mode, {@code null} for other kinds
 * @param holderPidNamespace the PID namespace the holder's {@code holderPid} and {@code holderTid}
 *     belong to: the inode number the kernel shows as {@code pid:[N]} for {@code /proc/PID/ns/pid};
 *     0 when not held or not known (other backends). Processes in containers that share a space
 *     but not their PIDs number their threads each in their own namespace: a holder "pid 1" of
 *     another namespace is not this namespace's pid 1 (see {@link #holderInOtherPidNamespace()})
 */
public record ObjectInfo(String name, ObjectKind kind, int holderPid, int holderTid, String holderThread,
                         Instant heldSince, int waiters, int watchers, long acquisitions, long contendedAcquisitions,
                         long ownerDiedCount, long fencingToken, boolean abandoned, LockPolicy policy,
                         int spinLimit, int readers, int permits, boolean signaled, EventMode eventMode,
                         long holderPidNamespace) {

    /**
     * A snapshot without a known PID namespace ({@code holderPidNamespace} 0): the shape of this
     * record before the namespace was added.
     *
     * @param name the object's name
     * @param kind what it is
     * @param holderPid process id of the holder, 0 when not held
     * @param holderTid kernel thread id of the holder, 0 when not held
     * @param holderThread the holder thread's name, or {@code null}
     * @param heldSince when the current holder acquired it, or {@code null}
     * @param waiters threads asleep waiting for it now
     * @param watchers owner-death watchers asleep on it now
     * @param acquisitions acquisitions (events: signals) since the space was created
     * @param contendedAcquisitions acquisitions that had to spin or sleep for another holder
     * @param ownerDiedCount acquisitions that found the previous owner dead
     * @param fencingToken the last fencing token handed out
     * @param abandoned whether its last holder died and nobody has acquired it since
     * @param policy a lock's policy, {@code null} for other kinds
     * @param spinLimit how often a waiter re-checks before sleeping
     * @param readers read holds now; semaphores: permits in use
     * @param permits a semaphore's permits
     * @param signaled an event's state
     * @param eventMode an event's mode, {@code null} for other kinds
     */
    public ObjectInfo(String name, ObjectKind kind, int holderPid, int holderTid, String holderThread,
                      Instant heldSince, int waiters, int watchers, long acquisitions, long contendedAcquisitions,
                      long ownerDiedCount, long fencingToken, boolean abandoned, LockPolicy policy,
                      int spinLimit, int readers, int permits, boolean signaled, EventMode eventMode) {
        this(name, kind, holderPid, holderTid, holderThread, heldSince, waiters, watchers, acquisitions,
                contendedAcquisitions, ownerDiedCount, fencingToken, abandoned, policy, spinLimit, readers, permits,
                signaled, eventMode, 0L);
    }

    /**
     * {@return whether the holder's pid and tid are numbers of another PID namespace than this
     * process's (false when not held, or when either namespace is unknown)}
     */
    public boolean holderInOtherPidNamespace() {
        long ours = PidNamespace.OF_THIS_PROCESS;
        return holderPidNamespace != 0 && ours != 0 && holderPidNamespace != ours;
    }

    /** {@return whether some thread holds it now} */
    public boolean isHeld() {
        return holderTid != 0;
    }
}
