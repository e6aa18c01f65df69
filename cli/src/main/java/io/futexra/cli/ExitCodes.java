package io.futexra.cli;

/**
 * The exit statuses of {@code futex-ra}, from {@code sysexits.h} where one fits.
 *
 * <p>{@code run} and {@code sem … run} exit with their command's status instead, whatever it is,
 * so a command's own 64–78 cannot be told from futex-ra's by the status alone: futex-ra always
 * prints one line starting {@code futex-ra:} on stderr when the status is its own.
 */
final class ExitCodes {

    /** Done; for {@code wait}: the event was signaled. */
    static final int OK = 0;
    /** EX_USAGE: the command line is wrong (unknown command or option, bad name, bad duration). */
    static final int USAGE = 64;
    /** EX_DATAERR: the space file is not a usable space (another format or version, truncated, corrupt). */
    static final int DATA_ERROR = 65;
    /** EX_UNAVAILABLE: the command to run could not be started (not found, not executable), no futexes here, or (check) no such space. */
    static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: an internal error in futex-ra (a bug: please report it with the message). */
    static final int SOFTWARE = 70;
    /** EX_CANTCREAT: the space or the object cannot be created (space full, directory not writable, I/O error). */
    static final int CANT_CREATE = 73;
    /** EX_TEMPFAIL: the timeout passed before the lock, the permit or the event came; nothing is held. */
    static final int TIMEOUT = 75;
    /** EX_TEMPFAIL too, for {@code rm}: a process maps the space; nothing was removed, try again later. */
    static final int SPACE_IN_USE = 75;
    /** EX_NOPERM: this user may not open the space. */
    static final int NO_PERMISSION = 77;
    /** 128 + SIGINT: interrupted (Ctrl-C) while waiting; nothing is held. */
    static final int INTERRUPTED_BY_INT = 130;
    /** 128 + SIGTERM: terminated while waiting; nothing is held. */
    static final int TERMINATED_BY_TERM = 143;

    private ExitCodes() {
    }
}
