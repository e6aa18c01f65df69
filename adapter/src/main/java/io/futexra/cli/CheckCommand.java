package io.futexra.cli;

import io.futexra.core.SpaceChecker;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code check}: walks the space file with {@link SpaceChecker} (read only: the space is neither
 * mapped for use nor locked, so a damaged space can be checked while others still use it) and
 * prints its report: the objects, the words held by live threads, problems (damage) and warnings
 * (benign leftovers). Exit 0 if no problem was found, 65 if the space is damaged, 69 if it does
 * not exist.
 */
final class CheckCommand {

    private CheckCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        args.expectEnd("check");
        if (!Files.exists(inv.spaceFile())) {
            throw new CliException(ExitCodes.UNAVAILABLE, "space '" + inv.space + "' does not exist in "
                    + inv.directory + ": nothing to check (see --dir and --space)");
        }
        SpaceChecker.Report report;
        try {
            report = SpaceChecker.check(inv.spaceFile());
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA_ERROR, "cannot read " + inv.spaceFile() + ": " + e.getMessage());
        }
        inv.out.println(report);
        inv.out.flush();
        return report.isValid() ? ExitCodes.OK : ExitCodes.DATA_ERROR;
    }
}
