package io.futexra;

/**
 * A space cannot be removed because a process has it open (maps it); the message names the file
 * and how to find the processes. Nothing was removed.
 */
public final class SpaceInUseException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what happened and what to do
     */
    public SpaceInUseException(String message) {
        super(message);
    }
}
