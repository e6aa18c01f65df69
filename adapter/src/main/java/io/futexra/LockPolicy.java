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

    /** The number stored in the space for this policy. */
    public int code() {
        return ordinal() + 1;
    }

    /** The policy stored as {@code code}; 0 (a lock made before policies) is {@link #GREEDY}. */
    public static LockPolicy fromCode(int code) {
        return code == 0 ? GREEDY : code >= 1 && code <= values().length ? values()[code - 1] : null;
    }
}
