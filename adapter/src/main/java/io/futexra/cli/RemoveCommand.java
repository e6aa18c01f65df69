package io.futexra.cli;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import java.nio.file.AccessDeniedException;

/**
 * {@code rm}: removes the space file, through {@link LockSpace#remove}, only while no process maps
 * it. Every open space holds a shared {@code flock(2)} on its file; removal takes it exclusively
 * without waiting, so a space in use (by a server, a batch JVM, a {@code futex-ra run}) is refused
 * with exit 75 ("in use: try again later", {@code EX_TEMPFAIL}) and left as it is. A space that
 * does not exist is not an error (exit 0, said on stderr), so cleanup scripts can run it twice.
 * Every object of the space is forgotten; the next opener creates a new, empty space.
 */
final class RemoveCommand {

    private RemoveCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        args.expectEnd("rm");
        boolean removed;
        try {
            removed = LockSpace.remove(inv.directory, inv.space);
        } catch (FutexRaException e) {
            throw refused(e);
        } catch (UnsupportedOperationException | LinkageError e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot use futexes here: " + e);
        }
        if (!removed) {
            inv.err.println("futex-ra: space '" + inv.space + "' does not exist in " + inv.directory
                    + ": nothing to remove");
        }
        return ExitCodes.OK;
    }

    /**
     * The exit status of a refused removal. {@link LockSpace#remove} says "in use" with a
     * {@link FutexRaException} without a cause (its exclusive {@code flock} was refused); a
     * permission problem carries {@link AccessDeniedException}; any other I/O failure its cause.
     */
    private static CliException refused(FutexRaException e) {
        if (e.getCause() == null) {
            return new CliException(ExitCodes.SPACE_IN_USE, e.getMessage());
        }
        if (e.getCause() instanceof AccessDeniedException) {
            return new CliException(ExitCodes.NO_PERMISSION, e.getMessage());
        }
        return new CliException(ExitCodes.CANT_CREATE, e.getMessage());
    }
}
