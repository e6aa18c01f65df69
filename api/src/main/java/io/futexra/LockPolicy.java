package io.futexra;

/**
 * Who gets a lock when it is released: the paper's trade-off between throughput and fairness
 * (Franke, Russell, Kirkwood, "Fuss, Futexes and Furwocks", OLS 2002).
 */
public enum LockPolicy {
    /**
     * Release marks the lock free and wakes one sleeper; a running thread may take it first
     * (barging). Best throughput, no convoys; a waiter can be passed over. The default.
     */
    GREEDY,
    /**
     * Release hands the lock to the longest-waiting thread, host-wide, in arrival order; nobody
     * barges past a waiter. No starvation, at the price of a wake-up per hand-off (convoys).
     */
    FAIR;

    /** {@return the number stored in the space for this policy} */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * The policy a space stores as {@code code}.
     *
     * @param code a policy's {@link #code()}, as read from a space; 0 (a lock made before policies) means {@link #GREEDY}
     * @return the policy, or {@code null} if {@code code} names none
     */
    public static LockPolicy fromCode(int code) {
        return code == 0 ? GREEDY : code >= 1 && code <= values().length ? values()[code - 1] : null;
    }
}
