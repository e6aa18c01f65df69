package io.futexra.cli;

import io.futexra.LockInterruptedException;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import java.time.Duration;

/**
 * {@code signal EVENT [--auto]}, {@code reset EVENT [--auto]}, {@code wait EVENT [--auto]
 * [--timeout DUR]}. Without {@code --auto} the event must be (or is created) manual-reset, with it
 * auto-reset; an existing event of the other mode is refused (exit 64, the Java API's message),
 * never signaled, reset or waited on in a mode its other users do not expect. {@code wait} exits 0
 * when signaled (auto reset: it consumed one signal), 75 when the timeout passed first.
 */
final class EventCommand {

    /** How long {@code wait} without {@code --timeout} waits per call to the API: for ever, in practice. */
    private static final Duration FOREVER = Durations.MAX;

    private EventCommand() {
    }

    static int run(String command, Invocation inv, Arguments args) {
        String name = args.next("event name after " + command);
        boolean auto = false;
        Duration timeout = null;
        while (args.atOption()) {
            if (args.option("--auto", false)) {
                auto = true;
            } else if (command.equals("wait") && args.option("--timeout", true)) {
                timeout = Durations.parse("--timeout", args.value("--timeout"));
            } else {
                throw args.unknownOption(command);
            }
        }
        args.expectEnd(command);
        try (LockSpace space = inv.openSpace()) {
            NamedEvent event = NamedObjects.event(space, name, auto);
            switch (command) {
                case "signal":
                    event.signal();
                    return ExitCodes.OK;
                case "reset":
                    event.reset();
                    return ExitCodes.OK;
                default:
                    return await(inv, event, timeout, space.name());
            }
        }
    }

    private static int await(Invocation inv, NamedEvent event, Duration timeout, String space) {
        Supervisor supervisor = new Supervisor(Thread.currentThread(), inv.err);
        supervisor.install(); // a signal interrupts the wait: say so, then exit 128+signal
        try {
            while (timeout == null) {
                if (event.await(FOREVER)) {
                    return ExitCodes.OK;
                }
            }
            if (event.await(timeout)) {
                return ExitCodes.OK;
            }
        } catch (LockInterruptedException e) {
            inv.err.println("futex-ra: stopped while waiting for event '" + Text.printable(event.name())
                    + "' in space '" + space + "'");
            return ExitCodes.TERMINATED_BY_TERM; // the JVM's exit status (128+signal) wins
        } finally {
            supervisor.finish(-1);
        }
        throw new CliException(ExitCodes.TIMEOUT, "event '" + Text.printable(event.name()) + "' in space '" + space
                + "' was not signaled within " + Durations.format(timeout));
    }
}
