package io.futexra.cli;

import io.futexra.LockSpace;
import io.futexra.SpaceReport;
import java.util.Optional;

/**
 * {@code check}: checks the space with {@link LockSpace#check} (read only: shared memory walks the
 * file without mapping it for use or locking it, so a damaged space can be checked while others
 * still use it) and prints its report: the objects, the words held by live threads, problems
 * (damage) and warnings (benign leftovers). Exit 0 if no problem was found, 65 if the space is
 * damaged or cannot be read, 69 if it does not exist or its backend has no checker.
 *
 * <p>Every line of the report is printed {@linkplain Text#printable printable}: an object name (or
 * anything else read from the file) with control characters or bidi overrides such as
 * {@code U+202E} is shown escaped, one report item per line, as {@code ls} shows such file names.
 */
final class CheckCommand {

    private CheckCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        args.expectEnd("check");
        Optional<SpaceReport> found;
        try {
            found = inv.reach(LockSpace::check);
        } catch (CliException e) {
            // a space that exists but cannot be read is damaged as far as check can tell
            throw e.exitCode() == ExitCodes.CANT_CREATE ? new CliException(ExitCodes.DATA_ERROR, e.getMessage()) : e;
        }
        SpaceReport report = found.orElseThrow(() -> new CliException(ExitCodes.UNAVAILABLE, "space '" + inv.space
                + "' does not exist " + inv.where + ": nothing to check (see " + inv.chosenBy + ")"));
        inv.out.println(Text.printable("space " + report.space() + ": " + (report.isValid() ? "valid" : "INVALID")
                + ", " + report.summary()));
        report.problems().forEach(p -> inv.out.println("  problem: " + Text.printable(p)));
        report.warnings().forEach(w -> inv.out.println("  warning: " + Text.printable(w)));
        inv.out.flush();
        return report.isValid() ? ExitCodes.OK : ExitCodes.DATA_ERROR;
    }
}
