package io.futexra.cli;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code futex-ra} command: {@code futex-ra [--dir DIR] [--space NAME | --space-uri URI] COMMAND …}.
 * See {@link Help#TEXT} for the interface and the exit statuses, which are its contract.
 *
 * <p>The space is chosen by the command line, else by the environment: {@code --space-uri}
 * ({@code FUTEX_RA_SPACE_URI}) names a space on any backend; {@code --dir}/{@code --space}
 * ({@code FUTEX_RA_DIR}/{@code FUTEX_RA_SPACE}) a shared-memory space. A URI and a directory or
 * space name given at the same level contradict each other and are refused (exit 64); given at
 * different levels, the command line's wins.
 */
public final class Main {

    static final String DIR_VARIABLE = "FUTEX_RA_DIR";
    static final String SPACE_VARIABLE = "FUTEX_RA_SPACE";
    static final String SPACE_URI_VARIABLE = "FUTEX_RA_SPACE_URI";

    private Main() {
    }

    public static void main(String[] args) {
        int status = execute(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. Errors are printed as one line on {@code err}. */
    static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        try {
            return dispatch(new Arguments(args), out, err, env);
        } catch (CliException e) {
            err.println("futex-ra: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException | Error e) {
            err.println("futex-ra: internal error, please report: " + e);
            return ExitCodes.SOFTWARE;
        }
    }

    private static int dispatch(Arguments args, PrintStream out, PrintStream err, Map<String, String> env) {
        String dir = null;
        String space = null;
        String uri = null;
        while (args.atOption()) {
            if (args.option("--dir", true)) {
                dir = args.value("--dir");
                if (dir.isEmpty()) {
                    throw CliException.usage("--dir needs a directory, not an empty string");
                }
            } else if (args.option("--space", true)) {
                space = args.value("--space");
            } else if (args.option("--space-uri", true)) {
                uri = args.value("--space-uri");
                if (uri.isEmpty()) {
                    throw CliException.usage("--space-uri needs a URI, not an empty string");
                }
            } else if (args.option("--help", false) || args.option("-h", false)) {
                out.print(Help.TEXT);
                return ExitCodes.OK;
            } else if (args.option("--cds-training", true)) {
                return Training.run(Path.of(args.value("--cds-training")));
            } else if (args.option("--version", false)) {
                out.println(Help.version());
                return ExitCodes.OK;
            } else {
                throw CliException.usage("unknown option '" + args.peek() + "'");
            }
        }
        String command = args.next("command: run, sem, signal, reset, wait, ls, top, rm, check");
        if (command.equals("help")) {
            out.print(Help.TEXT);
            return ExitCodes.OK;
        }
        Invocation inv = chooseSpace(dir, space, uri, out, err, env);
        switch (command) {
            case "run":
                return RunCommand.run(inv, args);
            case "ls":
                return ListCommand.run(inv, args);
            case "top":
                return TopCommand.run(inv, args);
            case "rm":
                return RemoveCommand.run(inv, args);
            case "check":
                return CheckCommand.run(inv, args);
            case "sem":
                return SemaphoreCommand.run(inv, args);
            case "signal":
            case "reset":
            case "wait":
                return EventCommand.run(command, inv, args);
            default:
                throw CliException.usage("unknown command '" + Text.printable(command) + "'");
        }
    }

    /** The space the command line chose, else the environment's, else the default; see the class comment. */
    private static Invocation chooseSpace(String dir, String space, String uri, PrintStream out, PrintStream err,
                                          Map<String, String> env) {
        boolean onCommandLine = uri != null || dir != null || space != null;
        if (!onCommandLine) {
            uri = nonEmpty(env.get(SPACE_URI_VARIABLE));
        }
        if (uri == null || !onCommandLine) {
            // --dir or --space alone takes the other from the environment, as it always did
            dir = dir != null ? dir : nonEmpty(env.get(DIR_VARIABLE));
            space = space != null ? space : nonEmpty(env.get(SPACE_VARIABLE));
        }
        if (uri != null && (dir != null || space != null)) {
            throw CliException.usage(onCommandLine
                    ? "--space-uri names the space with its directory: give it without --dir and --space"
                    : SPACE_URI_VARIABLE + " and " + DIR_VARIABLE + "/" + SPACE_VARIABLE + " are both set: unset"
                    + " one (the URI names the space with its directory)");
        }
        if (uri != null) {
            return Invocation.atUri(uri, out, err, env);
        }
        return Invocation.inDirectory(dir != null ? directory(dir) : defaultDirectory(),
                space != null ? space : LockSpace.DEFAULT_SPACE, out, err, env);
    }

    /** {@link LockSpace#defaultDirectory()}; a per-user directory refused is 77, one that cannot be made 73. */
    private static Path defaultDirectory() {
        try {
            return LockSpace.defaultDirectory();
        } catch (FutexRaException e) {
            throw new CliException(e.getCause() instanceof AccessDeniedException ? ExitCodes.NO_PERMISSION
                    : ExitCodes.CANT_CREATE, e.getMessage());
        }
    }

    private static Path directory(String dir) {
        try {
            return Path.of(dir);
        } catch (InvalidPathException e) {
            throw CliException.usage("invalid directory '" + Text.printable(dir) + "': " + e.getReason());
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
