package io.futexra;

import java.util.Objects;

/**
 * The figures of one named object: what the space records for every process (acquisitions,
 * contention, owner deaths, holders and waiters now) together with what this process measured
 * itself (timeouts, wait and hold times), which a space does not share.
 *
 * @param name the object's name
 * @param kind what it is
 * @param acquisitions acquisitions by every process since the space was created (events: signals)
 * @param contendedAcquisitions acquisitions, by every process, that had to spin or sleep for another holder
 * @param ownerDeaths acquisitions, by every process, that found the previous owner dead
 * @param holders holds now: 1 for a held lock or write lock, plus read holds (read/write locks) or
 *     permits in use (semaphores)
 * @param waiters threads asleep waiting for it now, in every process (approximate, see
 *     {@link ObjectInfo#waiters()})
 * @param timeouts acquisitions in this process that gave up at their timeout (locks)
 * @param waitTime how long acquisitions in this process waited, counting those that found the lock
 *     taken and had to wait (locks; uncontended acquisitions are not in it)
 * @param holdTime how long this process held the lock, from the coarse clock (about 10 ms
 *     resolution), sampled: one acquisition in {@value #HOLD_SAMPLE_INTERVAL} (locks)
 */
public record LockStatistics(String name, ObjectKind kind, long acquisitions, long contendedAcquisitions,
                             long ownerDeaths, int holders, int waiters, long timeouts,
                             TimeDistribution waitTime, TimeDistribution holdTime) {

    /** One acquisition in this many has its hold time measured. */
    public static final int HOLD_SAMPLE_INTERVAL = 8;

    /**
     * Checks the fields.
     *
     * @param name the object's name
     * @param kind what it is
     * @param acquisitions acquisitions since the space was created
     * @param contendedAcquisitions acquisitions that had to wait
     * @param ownerDeaths acquisitions that found the owner dead
     * @param holders holds now
     * @param waiters waiters now
     * @param timeouts acquisitions in this process that timed out
     * @param waitTime wait times in this process
     * @param holdTime hold times in this process (sampled)
     * @throws NullPointerException if a name, kind or distribution is {@code null}
     */
    public LockStatistics {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(waitTime, "waitTime");
        Objects.requireNonNull(holdTime, "holdTime");
    }

    /**
     * The figures the space keeps for an object, with nothing measured in this process.
     *
     * @param info the object as {@link LockSpace#objects()} lists it
     * @return its figures; timeouts 0, distributions empty
     */
    public static LockStatistics of(ObjectInfo info) {
        return of(info, 0, TimeDistribution.empty(), TimeDistribution.empty());
    }

    /**
     * The figures the space keeps for an object with those this process measured.
     *
     * @param info the object as {@link LockSpace#objects()} lists it
     * @param timeouts its acquisitions in this process that timed out
     * @param waitTime its wait times in this process
     * @param holdTime its hold times in this process (sampled)
     * @return its figures
     */
    public static LockStatistics of(ObjectInfo info, long timeouts, TimeDistribution waitTime,
                                    TimeDistribution holdTime) {
        int holders = (info.isHeld() ? 1 : 0) + Math.max(0, info.readers());
        return new LockStatistics(info.name(), info.kind(), info.acquisitions(), info.contendedAcquisitions(),
                info.ownerDiedCount(), holders, info.waiters(), timeouts, waitTime, holdTime);
    }
}
