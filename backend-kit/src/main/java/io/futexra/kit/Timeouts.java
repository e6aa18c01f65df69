package io.futexra.kit;

import java.time.Duration;

/**
 * A timeout as nanoseconds, saturated instead of overflowing, for every backend. A
 * {@link Duration} holds up to about 292 billion years; {@link Duration#toNanos()} throws beyond
 * 292 years, and the adapter's "as long as it takes" is {@code Duration.ofSeconds(Long.MAX_VALUE)}.
 * Catching that overflow per acquisition cost about 12 µs (the exception's stack trace), so the
 * range is checked before converting, and no exception is ever made here.
 */
public final class Timeouts {

    /** Whole seconds beyond which a duration's nanoseconds may overflow a {@code long}. */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

    private Timeouts() {
    }

    /**
     * {@code timeout} in nanoseconds; {@link Long#MAX_VALUE} for any timeout of 292 years or more,
     * {@link Long#MIN_VALUE} for any of minus 292 years or less.
     */
    public static long saturatedNanos(Duration timeout) {
        long seconds = timeout.getSeconds();
        if (seconds > MAX_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (seconds < -MAX_SECONDS) {
            return Long.MIN_VALUE;
        }
        return timeout.toNanos();
    }
}
