package io.futexra.cli;

/**
 * Ends the command with {@link #exitCode()} after printing {@code futex-ra: MESSAGE} on stderr.
 * The message is one line that says what was wrong and, where it helps, what to do.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false); // no stack trace: it is never printed
        this.exitCode = exitCode;
    }

    /** A mistake on the command line: exit 64. */
    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message + " (see futex-ra --help)");
    }

    int exitCode() {
        return exitCode;
    }
}
