package io.futexra;

/** How a {@link NamedEvent} resets. Chosen when the event is created; fixed for its life. */
public enum EventMode {
    /**
     * Stays signaled until {@link NamedEvent#reset()}: every waiter, now and later, gets through.
     * A waiter that was waiting when a signal came gets through even if the event was reset
     * before it ran (no {@code PulseEvent} race).
     */
    MANUAL_RESET,
    /**
     * Each {@link NamedEvent#signal()} lets exactly one waiter through, host-wide: signals are
     * counted, so N signals release N waits, whether the waiters were already waiting or arrive
     * later. {@link NamedEvent#reset()} discards pending signals.
     */
    AUTO_RESET;

    /** {@return the number stored in the space for this mode} */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * The mode a space stores as {@code code}.
     *
     * @param code a mode's {@link #code()}, as read from a space
     * @return the mode, or {@code null} if {@code code} names none
     */
    public static EventMode fromCode(int code) {
        EventMode[] modes = values();
        return code >= 1 && code <= modes.length ? modes[code - 1] : null;
    }
}
