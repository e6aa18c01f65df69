package io.futexra.cli;

import io.futexra.LockSpace;
import java.time.Duration;
import java.util.List;

/** {@code run --lock NAME [--timeout DUR] [--read] -- CMD [ARG…]}. See {@link GuardedCommand}. */
final class RunCommand {

    private RunCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        String lock = null;
        Duration timeout = null;
        boolean read = false;
        while (args.atOption()) {
            if (args.option("--lock", true)) {
                lock = args.value("--lock");
            } else if (args.option("--timeout", true)) {
                timeout = Durations.parse("--timeout", args.value("--timeout"));
            } else if (args.option("--read", false)) {
                read = true;
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
        if (read) {
            throw new CliException(ExitCodes.UNAVAILABLE, "run --read needs read/write locks, which this"
                    + " futex-ra does not have yet");
        }
        try (LockSpace space = inv.openSpace()) {
            return GuardedCommand.run(inv, new LockAcquirer(space, lock), timeout, command);
        }
    }
}
