package io.futexra.core;

import io.futexra.LockInterruptedException;
import io.futexra.LockTimeoutException;
import java.time.Duration;

/**
 * The one place that words a wait's failure (timeout or interrupt) for every kind of object, so
 * that each says the same things: what was awaited where, who holds it if known, that nothing is
 * held, and what to do.
 */
final class WaitFailures {

    private WaitFailures() {
    }

    /**
     * @param what what was awaited, for example {@code "lock 'orders'"}
     * @param detail who holds it, or why it is busy ({@code ""} if unknown), starting with a space
     */
    static LockTimeoutException timedOut(Duration timeout, String what, ShmLockSpace space, String detail) {
        return new LockTimeoutException("timed out after " + timeout + " waiting for " + what + " in space '"
                + space.name() + "'" + detail + ". Nothing is held; retry, or find who holds it and why (futex-ra ls).");
    }

    /** @param what what was awaited, for example {@code "lock 'orders'"} */
    static LockInterruptedException interrupted(String what, ShmLockSpace space) {
        return interrupted(what + " in space '" + space.name() + "'");
    }

    /**
     * @param whatWhere what was awaited and in which space or spaces, for example
     *     {@code "events 'a' in space 'x', 'b' in space 'y'"}
     */
    static LockInterruptedException interrupted(String whatWhere) {
        return new LockInterruptedException("interrupted while waiting for " + whatWhere
                + ". Nothing is held; the thread's interrupt flag is still set.");
    }
}
