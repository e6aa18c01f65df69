package io.futexra;

/**
 * A file where a lock space should be is not a usable space: not a futex-ra space at all, another
 * layout version, truncated, or with inconsistent geometry. The file was not mapped.
 */
public final class SpaceFormatException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public SpaceFormatException(String message) {
        super(message);
    }
}
