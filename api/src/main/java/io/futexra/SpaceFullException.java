package io.futexra;

/** Every slot of a space is taken; the message gives the capacity and how to get a larger space. */
public final class SpaceFullException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public SpaceFullException(String message) {
        super(message);
    }
}
