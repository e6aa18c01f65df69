package io.futexra;

/**
 * The waiting thread was interrupted; nothing is held. The thread's interrupt flag is still set,
 * as {@link Thread#interrupt()} left it, so code further up can see it.
 */
public final class LockInterruptedException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public LockInterruptedException(String message) {
        super(message);
    }
}
