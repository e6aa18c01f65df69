package io.futexra.cli;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.SpaceFormatException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command gets: the space's directory and name (after {@code --dir}/{@code --space},
 * {@code FUTEX_RA_DIR}/{@code FUTEX_RA_SPACE} and the defaults), the output streams and the
 * environment.
 */
final class Invocation {

    /** The space file's suffix, as documented for {@link LockSpace}: {@code DIR/NAME.space}. */
    static final String SPACE_FILE_SUFFIX = ".space";
    static final int SPACE_NAME_MAX_LENGTH = 100;

    final Path directory;
    final String space;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> environment;

    Invocation(Path directory, String space, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.directory = directory;
        this.space = checkSpaceName(space);
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** The space file, whether it exists or not. */
    Path spaceFile() {
        return directory.resolve(space + SPACE_FILE_SUFFIX);
    }

    /**
     * Opens (creating if needed) the space, turning each way that can fail into its exit status:
     * not a space 65, permission 77, cannot create or open 73, no futexes on this system 69.
     */
    LockSpace openSpace() {
        try {
            return LockSpace.open(directory, space);
        } catch (SpaceFormatException e) {
            throw new CliException(ExitCodes.DATA_ERROR, e.getMessage());
        } catch (FutexRaException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw new CliException(ExitCodes.NO_PERMISSION, e.getMessage());
            }
            throw new CliException(ExitCodes.CANT_CREATE, e.getMessage());
        } catch (UnsupportedOperationException | LinkageError e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot use futexes here: " + e);
        }
    }

    /**
     * The rule of {@link LockSpace} for space names, checked before the name is put in a path:
     * 1 to 100 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit, without {@code ..}.
     */
    static String checkSpaceName(String name) {
        boolean ok = !name.isEmpty() && name.length() <= SPACE_NAME_MAX_LENGTH && !name.contains("..")
                && isLetterOrDigit(name.charAt(0));
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
        }
        if (!ok) {
            throw CliException.usage("invalid space name '" + Text.printable(name) + "': use 1 to "
                    + SPACE_NAME_MAX_LENGTH + " characters of A-Z a-z 0-9 . _ -, starting with a letter or digit,"
                    + " without '..'");
        }
        return name;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
