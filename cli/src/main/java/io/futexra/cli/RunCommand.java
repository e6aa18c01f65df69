package io.futexra.cli;

import io.futexra.LockSpace;
import java.time.Duration;
import java.util.List;

/**
 * {@code run --lock NAME [--timeout DUR] [--read | --write] -- CMD [ARG…]}: the lock NAME, or the
 * read or write side of the read/write lock NAME; a plain {@code --lock} on a name that is a
 * read/write lock takes its write side. See {@link GuardedCommand}.
 */
final class RunCommand {

    private RunCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        String lock = null;
        Duration timeout = null;
        boolean read = false;
        boolean write = false;
        while (args.atOption()) {
            if (args.option("--lock", true)) {
                lock = args.value("--lock");
            } else if (args.option("--timeout", true)) {
                timeout = Durations.parse("--timeout", args.value("--timeout"));
            } else if (args.option("--read", false)) {
                read = true;
            } else if (args.option("--write", false)) {
                write = true;
            } else {
                throw args.unknownOption("run");
            }
        }
        args.endOfOptions();
        List<String> command = args.rest();
        if (lock == null) {
            throw CliException.usage("run needs --lock NAME");
        }
        if (command.isEmpty()) {
            throw CliException.usage("run needs a command to run after --");
        }
        if (read && write) {
            throw CliException.usage("run takes --read or --write, not both");
        }
        try (LockSpace space = inv.openSpace()) {
            Acquirer what = read || write ? LockAcquirer.readWrite(space, lock, read) : LockAcquirer.exclusive(space, lock);
            return GuardedCommand.run(inv, what, timeout, command);
        }
    }
}
