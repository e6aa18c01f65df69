package io.futexra.core;

import io.futexra.kit.Timeouts;
import java.time.Duration;

/**
 * Absolute deadlines on the monotonic clock ({@link System#nanoTime()}). Reading that clock costs
 * about 30 ns on the machines measured (more than a whole uncontended acquire and release), so an
 * acquisition that may end on its first try passes {@link #NOT_READ} down and reads the clock only
 * once it has to wait ({@link #read}).
 */
final class Deadlines {

    /** A deadline not read yet: {@code timeout} from the moment {@link #read} is called. */
    static final long NOT_READ = Long.MIN_VALUE;

    private Deadlines() {
    }

    /** {@code now + timeout}, saturating instead of overflowing; never {@link FutexSleep#FOREVER} nor {@link #NOT_READ}. */
    static long after(Duration timeout) {
        long now = System.nanoTime();
        long nanos = Timeouts.saturatedNanos(timeout);
        long deadline = now + nanos;
        if (nanos > 0 && deadline < now) {
            return FutexSleep.FOREVER - 1; // overflow: ~292 years is long enough
        }
        if (nanos <= 0) {
            return now == NOT_READ ? now + 1 : now; // already due: tries once
        }
        return deadline == FutexSleep.FOREVER ? deadline - 1 : deadline;
    }

    /** {@code deadline}, or {@link #after}{@code (timeout)} if it is {@link #NOT_READ}. */
    static long read(long deadline, Duration timeout) {
        return deadline == NOT_READ ? after(timeout) : deadline;
    }
}
