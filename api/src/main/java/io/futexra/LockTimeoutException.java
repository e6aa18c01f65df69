package io.futexra;

/** An acquire with a timeout did not get the object in time; nothing is held. */
public final class LockTimeoutException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public LockTimeoutException(String message) {
        super(message);
    }
}
