package io.futexra.jmx;

import io.futexra.ObjectInfo;
import java.beans.ConstructorProperties;

/**
 * One object's state in JMX form (an MXBean maps it to {@code CompositeData}): the fields of
 * {@link ObjectInfo} as getters, enums and times as strings.
 */
public final class ObjectState {

    private final String name;
    private final String kind;
    private final int holderPid;
    private final int holderTid;
    private final String holderThread;
    private final String heldSince;
    private final int waiters;
    private final int watchers;
    private final long acquisitions;
    private final long contendedAcquisitions;
    private final long ownerDiedCount;
    private final long fencingToken;
    private final boolean abandoned;
    private final String policy;
    private final int readers;
    private final int permits;
    private final boolean signaled;

    /**
     * One object's state, each argument as the getter of the same name returns it (the MXBean
     * framework rebuilds an {@code ObjectState} from {@code CompositeData} through this).
     *
     * @param name see {@link #getName()}
     * @param kind see {@link #getKind()}
     * @param holderPid see {@link #getHolderPid()}
     * @param holderTid see {@link #getHolderTid()}
     * @param holderThread see {@link #getHolderThread()}
     * @param heldSince see {@link #getHeldSince()}
     * @param waiters see {@link #getWaiters()}
     * @param watchers see {@link #getWatchers()}
     * @param acquisitions see {@link #getAcquisitions()}
     * @param contendedAcquisitions see {@link #getContendedAcquisitions()}
     * @param ownerDiedCount see {@link #getOwnerDiedCount()}
     * @param fencingToken see {@link #getFencingToken()}
     * @param abandoned see {@link #isAbandoned()}
     * @param policy see {@link #getPolicy()}
     * @param readers see {@link #getReaders()}
     * @param permits see {@link #getPermits()}
     * @param signaled see {@link #isSignaled()}
     */
    @ConstructorProperties({"name", "kind", "holderPid", "holderTid", "holderThread", "heldSince", "waiters",
            "watchers", "acquisitions", "contendedAcquisitions", "ownerDiedCount", "fencingToken", "abandoned", "policy", "readers",
            "permits", "signaled"})
    public ObjectState(String name, String kind, int holderPid, int holderTid, String holderThread, String heldSince,
                       int waiters, int watchers, long acquisitions, long contendedAcquisitions, long ownerDiedCount,
                       long fencingToken, boolean abandoned, String policy, int readers, int permits, boolean signaled) {
        this.name = name;
        this.kind = kind;
        this.holderPid = holderPid;
        this.holderTid = holderTid;
        this.holderThread = holderThread;
        this.heldSince = heldSince;
        this.waiters = waiters;
        this.watchers = watchers;
        this.acquisitions = acquisitions;
        this.contendedAcquisitions = contendedAcquisitions;
        this.ownerDiedCount = ownerDiedCount;
        this.fencingToken = fencingToken;
        this.abandoned = abandoned;
        this.policy = policy;
        this.readers = readers;
        this.permits = permits;
        this.signaled = signaled;
    }

    static ObjectState of(ObjectInfo o) {
        return new ObjectState(o.name(), String.valueOf(o.kind()), o.holderPid(), o.holderTid(), o.holderThread(),
                o.heldSince() == null ? null : o.heldSince().toString(), o.waiters(), o.watchers(), o.acquisitions(),
                o.contendedAcquisitions(), o.ownerDiedCount(), o.fencingToken(), o.abandoned(),
                o.policy() == null ? null : o.policy().name(), o.readers(), o.permits(), o.signaled());
    }

    /** {@return the object's name ({@link ObjectInfo#name()})} */
    public String getName() {
        return name;
    }

    /** {@return what it is: {@code LOCK}, {@code READ_WRITE_LOCK}, {@code SEMAPHORE} or {@code EVENT} ({@link ObjectInfo#kind()})} */
    public String getKind() {
        return kind;
    }

    /** {@return the holder's process id, 0 when not held} */
    public int getHolderPid() {
        return holderPid;
    }

    /** {@return the holder's kernel thread id, 0 when not held} */
    public int getHolderTid() {
        return holderTid;
    }

    /** {@return the holder thread's name as the kernel knows it, or {@code null}} */
    public String getHolderThread() {
        return holderThread;
    }

    /** {@return when the current holder acquired it (ISO-8601), or {@code null}} */
    public String getHeldSince() {
        return heldSince;
    }

    /** {@return threads asleep waiting for it now (approximate: see {@link ObjectInfo#waiters()})} */
    public int getWaiters() {
        return waiters;
    }

    /** {@return owner-death watchers asleep on the lock now: not waiters, not contention} */
    public int getWatchers() {
        return watchers;
    }

    /** {@return acquisitions (events: signals) since the space was created} */
    public long getAcquisitions() {
        return acquisitions;
    }

    /** {@return acquisitions that had to spin or sleep for another holder} */
    public long getContendedAcquisitions() {
        return contendedAcquisitions;
    }

    /** {@return acquisitions that found the previous owner dead} */
    public long getOwnerDiedCount() {
        return ownerDiedCount;
    }

    /** {@return the last fencing token handed out} */
    public long getFencingToken() {
        return fencingToken;
    }

    /** {@return whether its last holder died and nobody has acquired it since} */
    public boolean isAbandoned() {
        return abandoned;
    }

    /** {@return a lock's policy ({@code GREEDY} or {@code FAIR}), {@code null} for other kinds} */
    public String getPolicy() {
        return policy;
    }

    /** {@return read holds now (read/write locks); semaphores: permits in use} */
    public int getReaders() {
        return readers;
    }

    /** {@return a semaphore's permits, 0 for other kinds} */
    public int getPermits() {
        return permits;
    }

    /** {@return an event's state: signaled (manual reset) or signals pending (auto reset)} */
    public boolean isSignaled() {
        return signaled;
    }
}
