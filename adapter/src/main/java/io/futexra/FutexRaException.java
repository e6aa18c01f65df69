package io.futexra;

/** The root of futex-ra's unchecked exceptions; each message says what happened and what to do. */
public class FutexRaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FutexRaException(String message) {
        super(message);
    }

    public FutexRaException(String message, Throwable cause) {
        super(message, cause);
    }
}
