package io.futexra.core;

import java.time.Duration;

/** Absolute deadlines on the monotonic clock ({@link System#nanoTime()}). */
final class Deadlines {

    private Deadlines() {
    }

    /** {@code now + timeout}, saturating instead of overflowing; never {@link FutexSleep#FOREVER}. */
    static long after(Duration timeout) {
        long now = System.nanoTime();
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException huge) {
            nanos = timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long deadline = now + nanos;
        if (nanos > 0 && deadline < now) {
            return FutexSleep.FOREVER - 1; // overflow: ~292 years is long enough
        }
        if (nanos <= 0) {
            return now; // already due: tries once
        }
        return deadline == FutexSleep.FOREVER ? deadline - 1 : deadline;
    }
}
