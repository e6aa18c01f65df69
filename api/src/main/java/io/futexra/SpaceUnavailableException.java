package io.futexra;

/**
 * The backend cannot reach the space now: for example no server of a ZooKeeper ensemble answers
 * within the connection timeout. Nothing was opened, acquired or changed; the same call may work
 * later. The message names the space and what was tried. (The shared-memory backend never throws
 * it: a space on this host is always reachable.) The CLI exits with 69 ({@code EX_UNAVAILABLE}).
 */
public final class SpaceUnavailableException extends FutexRaException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, naming the space and what was tried.
     *
     * @param message what happened and what to do
     * @param cause what the backend reported, or null
     */
    public SpaceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
