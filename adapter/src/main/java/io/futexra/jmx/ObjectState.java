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

    public String getName() {
        return name;
    }

    public String getKind() {
        return kind;
    }

    public int getHolderPid() {
        return holderPid;
    }

    public int getHolderTid() {
        return holderTid;
    }

    public String getHolderThread() {
        return holderThread;
    }

    public String getHeldSince() {
        return heldSince;
    }

    public int getWaiters() {
        return waiters;
    }

    /** Owner-death watchers asleep on the lock now: not waiters, not contention. */
    public int getWatchers() {
        return watchers;
    }

    public long getAcquisitions() {
        return acquisitions;
    }

    public long getContendedAcquisitions() {
        return contendedAcquisitions;
    }

    public long getOwnerDiedCount() {
        return ownerDiedCount;
    }

    public long getFencingToken() {
        return fencingToken;
    }

    public boolean isAbandoned() {
        return abandoned;
    }

    public String getPolicy() {
        return policy;
    }

    public int getReaders() {
        return readers;
    }

    public int getPermits() {
        return permits;
    }

    public boolean isSignaled() {
        return signaled;
    }
}
