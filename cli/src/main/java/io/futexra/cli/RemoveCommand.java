package io.futexra.cli;

import io.futexra.LockSpace;

/**
 * {@code rm}: removes the space file, through {@link LockSpace#remove}, only while no process maps
 * it. Every open space holds a shared {@code flock(2)} on its file; removal takes it exclusively
 * without waiting, so a space in use (by a server, a batch JVM, a {@code futex-ra run}) is refused
 * with exit 75 ("in use: try again later", {@code EX_TEMPFAIL}) and left as it is; other failures
 * exit as {@link Invocation#reach} says. A space that
 * does not exist is not an error (exit 0, said on stderr), so cleanup scripts can run it twice.
 * Every object of the space is forgotten; the next opener creates a new, empty space.
 */
final class RemoveCommand {

    private RemoveCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        args.expectEnd("rm");
        if (!inv.reach(LockSpace::remove)) {
            inv.err.println("futex-ra: space '" + inv.space + "' does not exist " + inv.where
                    + ": nothing to remove");
        }
        return ExitCodes.OK;
    }
}
