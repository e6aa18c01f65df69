package io.futexra;

/** The root of futex-ra's unchecked exceptions; each message says what happened and what to do. */
public class FutexRaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public FutexRaException(String message) {
        super(message);
    }

    /**
     * An exception with its message and cause.
     *
     * @param message what happened and what to do
     * @param cause the failure underneath (an I/O error, a refused system call), or {@code null}
     */
    public FutexRaException(String message, Throwable cause) {
        super(message, cause);
    }
}
