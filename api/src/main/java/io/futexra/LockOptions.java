package io.futexra;

import java.util.Objects;

/**
 * How a lock behaves under contention, chosen when it is created and fixed for its life (every
 * process must agree on it): its {@link LockPolicy} and how many times a waiter re-checks the lock
 * with {@link Thread#onSpinWait()} before sleeping in the kernel.
 *
 * <p>Spinning pays when the holder is running on another CPU and releases soon: a hand-off then
 * costs under a microsecond instead of a futex wake (tens of microseconds). {@link #ADAPTIVE}
 * spins up to a budget learned from recent acquisitions in this process: it grows while spinning
 * succeeds and shrinks while it does not.
 *
 * <p>The spin limit is a shared-memory setting (a waiter on this host re-reading a word in the
 * mapped file); backends whose waiters wait on a server (ZooKeeper) keep the policy and ignore it.
 *
 * @param policy greedy or fair
 * @param spinLimit 0 (sleep at once) to {@link #MAX_SPIN}, or {@link #ADAPTIVE}
 */
public record LockOptions(LockPolicy policy, int spinLimit) {

    /** Spin budget learned per lock and process, up to {@link #MAX_SPIN}. */
    public static final int ADAPTIVE = -1;
    /** The largest fixed spin limit. */
    public static final int MAX_SPIN = 100_000;
    /** The spin limit of {@link #defaults()} and {@link #fair()}. */
    public static final int DEFAULT_SPIN = 100;

    /**
     * Checks the options.
     *
     * @param policy greedy or fair
     * @param spinLimit 0 (sleep at once) to {@link #MAX_SPIN}, or {@link #ADAPTIVE}
     * @throws NullPointerException if {@code policy} is {@code null}
     * @throws IllegalArgumentException if {@code spinLimit} is neither 0 to {@link #MAX_SPIN} nor {@link #ADAPTIVE}
     */
    public LockOptions {
        Objects.requireNonNull(policy, "policy");
        if (spinLimit != ADAPTIVE && (spinLimit < 0 || spinLimit > MAX_SPIN)) {
            throw new IllegalArgumentException("spin limit must be 0 to " + MAX_SPIN + " or ADAPTIVE (-1), not "
                    + spinLimit);
        }
    }

    /** {@return the default options: greedy, spinning {@value #DEFAULT_SPIN} times} */
    public static LockOptions defaults() {
        return new LockOptions(LockPolicy.GREEDY, DEFAULT_SPIN);
    }

    /** {@return fair (arrival order), spinning {@value #DEFAULT_SPIN} times} */
    public static LockOptions fair() {
        return new LockOptions(LockPolicy.FAIR, DEFAULT_SPIN);
    }

    /**
     * These options with another spin limit.
     *
     * @param limit 0 (sleep at once) to {@link #MAX_SPIN}, or {@link #ADAPTIVE}
     * @return new options with the same policy
     * @throws IllegalArgumentException if {@code limit} is out of range
     */
    public LockOptions withSpinLimit(int limit) {
        return new LockOptions(policy, limit);
    }

    /**
     * These options with another policy.
     *
     * @param newPolicy greedy or fair, not {@code null}
     * @return new options with the same spin limit
     */
    public LockOptions withPolicy(LockPolicy newPolicy) {
        return new LockOptions(newPolicy, spinLimit);
    }
}
