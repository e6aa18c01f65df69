package io.futexra.cli;

import io.futexra.LockSpace;
import io.futexra.NamedSemaphore;
import java.time.Duration;
import java.util.List;

/** {@code sem NAME --permits N run [--timeout DUR] -- CMD [ARG…]}. See {@link GuardedCommand}. */
final class SemaphoreCommand {

    private SemaphoreCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        String name = args.next("semaphore name after sem");
        int permits = 0;
        while (args.atOption()) {
            if (args.option("--permits", true)) {
                permits = permits(args.value("--permits"));
            } else {
                throw args.unknownOption("sem");
            }
        }
        if (permits == 0) {
            throw CliException.usage("sem needs --permits N (1 to " + NamedSemaphore.MAX_PERMITS + ")");
        }
        String action = args.next("action after sem NAME --permits N: run");
        if (!action.equals("run")) {
            throw CliException.usage("unknown sem action '" + Text.printable(action) + "': use run");
        }
        Duration timeout = null;
        while (args.atOption()) {
            if (args.option("--timeout", true)) {
                timeout = Durations.parse("--timeout", args.value("--timeout"));
            } else {
                throw args.unknownOption("sem run");
            }
        }
        args.endOfOptions();
        List<String> command = args.rest();
        if (command.isEmpty()) {
            throw CliException.usage("sem run needs a command to run after --");
        }
        try (LockSpace space = inv.openSpace()) {
            return GuardedCommand.run(inv, new SemaphoreAcquirer(space, name, permits), timeout, command);
        }
    }

    private static int permits(String text) {
        int n = 0;
        boolean ok = !text.isEmpty() && text.length() <= 3;
        for (int i = 0; ok && i < text.length(); i++) {
            char c = text.charAt(i);
            ok = c >= '0' && c <= '9';
            n = n * 10 + (c - '0');
        }
        if (!ok || n < 1 || n > NamedSemaphore.MAX_PERMITS) {
            throw CliException.usage("invalid --permits '" + Text.printable(text) + "': a whole number from 1 to "
                    + NamedSemaphore.MAX_PERMITS);
        }
        return n;
    }
}
