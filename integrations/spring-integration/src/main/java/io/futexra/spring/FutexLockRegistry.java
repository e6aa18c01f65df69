package io.futexra.spring;

import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are named futex-ra locks in one
 * {@link LockSpace}: {@code obtain("orders")} is the lock {@code "spring:orders"} (with the
 * default prefix), the same lock in every process on the host that uses the space. It drops in
 * where a {@code JdbcLockRegistry} or {@code RedisLockRegistry} served one host: aggregators,
 * idempotent receivers, {@code executeLocked}, and {@code LockRegistryLeaderInitiator} for leader
 * election across JVMs.
 *
 * <p>The {@link Lock} returned is a {@link io.futexra.NamedLockView} over the named lock: reentrant,
 * owned by the locking thread, unlocked by that thread; {@code newCondition()} throws. When the
 * holder's JVM dies (kill -9, crash), the kernel frees the lock at once: no time-to-live to wait
 * out. A live holder keeps it however long it takes; nothing expires.
 *
 * <p><b>A lost lock.</b> On a backend where a hold can be lost while its holder lives (ZooKeeper:
 * the lock node deleted by another client, the session expired, the connection cut off past the
 * point where another client may hold the lock; on shared memory: the space removed or damaged),
 * the {@code unlock()} that ends the thread's hold releases what is left of it — nothing of the next
 * holder's — and then throws {@link java.util.ConcurrentModificationException} ("Lock was released
 * in the store due to expiration. ..."), as {@code JdbcLockRegistry} does when its lock row went:
 * {@code executeLocked} passes it to its caller, after the work ran, so that the caller knows that
 * the work may have overlapped another holder's. The {@code Lock} interface has no way to tell the
 * holder earlier; code that must stop as soon as the lock goes uses {@link NamedLock#acquire()} and
 * {@link io.futexra.Held#onLost}.
 *
 * <p><b>What is not implemented, and why.</b> {@code DistributedLock}'s {@code lock(ttl)} and
 * {@code RenewableLockRegistry}'s {@code renewLock} exist to guess that a holder died when its
 * time-to-live passes; here death is a kernel fact, so a TTL would only let a second holder in
 * beside a slow live one. {@code ExpirableLockRegistry}'s {@code expireUnusedOlderThan} frees
 * lock objects cached per key; here a lock is a slot in the shared space, reused by name, with no
 * per-key object to expire.
 *
 * <p>Locks may be taken on virtual threads (Java 21+), so a {@code LockRegistryLeaderInitiator}
 * may run on a virtual-thread executor (its default {@code SimpleAsyncTaskExecutor} uses platform
 * threads).
 */
public final class FutexLockRegistry implements LockRegistry<Lock> {

    /** The default prefix of the futex-ra lock names, keeping the registry's keys apart from other locks. */
    public static final String DEFAULT_PREFIX = "spring:";

    private final LockSpace space;
    private final String prefix;
    /** One view per key, so that a thread's re-entries through {@code obtain(key)} are counted together. */
    private final Map<String, Lock> locks = new ConcurrentHashMap<>();

    /** Locks named {@code "spring:" + key} in {@code space}, which stays open while the registry is used. */
    public FutexLockRegistry(LockSpace space) {
        this(space, DEFAULT_PREFIX);
    }

    /** Locks named {@code prefix + key} in {@code space} (an empty prefix shares names with other users of the space). */
    public FutexLockRegistry(LockSpace space, String prefix) {
        this.space = Objects.requireNonNull(space, "space");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * The lock for {@code lockKey}, the same {@link Lock} for the same key; its {@code unlock()}
     * throws {@link java.util.ConcurrentModificationException} if the hold it ends was lost.
     *
     * @throws IllegalArgumentException if the key is not a {@link String}, or not a valid lock name
     */
    @Override
    public Lock obtain(Object lockKey) {
        if (!(lockKey instanceof String key)) {
            throw new IllegalArgumentException("lock key must be a String (it names a futex-ra lock shared by every"
                    + " process), not " + (lockKey == null ? "null" : lockKey.getClass().getName()));
        }
        return locks.computeIfAbsent(key, k -> new LossReportingLock(space.lock(prefix + k)).asLock());
    }

    @Override
    public String toString() {
        return "FutexLockRegistry[space '" + space.name() + "', prefix '" + prefix + "']";
    }
}
