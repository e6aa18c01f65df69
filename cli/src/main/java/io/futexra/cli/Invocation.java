package io.futexra.cli;

import io.futexra.FutexRaException;
import io.futexra.LockSpace;
import io.futexra.SpaceFormatException;
import io.futexra.SpaceInUseException;
import io.futexra.SpaceUnavailableException;
import io.futexra.spi.SpaceUris;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What every command gets: the space, as a URI whatever its backend (after {@code --space-uri},
 * {@code --dir}/{@code --space}, their environment variables and the defaults), the output
 * streams and the environment. Commands reach the space only through the API's URI methods, so
 * each works on every backend.
 */
final class Invocation {

    static final int SPACE_NAME_MAX_LENGTH = 100;

    /** The space: {@code shm:/DIR/NAME} for {@code --dir}/{@code --space}, or what {@code --space-uri} gave. */
    final URI spaceUri;
    /** The space's name, for messages. */
    final String space;
    /** Where the space is, for messages: {@code in DIR}, or {@code at URI}. */
    final String where;
    /** The options that choose the space, for messages: where to look when it is not there. */
    final String chosenBy;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> environment;

    private Invocation(URI spaceUri, String space, String where, String chosenBy, PrintStream out, PrintStream err,
                       Map<String, String> environment) {
        this.spaceUri = spaceUri;
        this.space = space;
        this.where = where;
        this.chosenBy = chosenBy;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** The shared-memory space {@code space} in {@code directory}. */
    static Invocation inDirectory(Path directory, String space, PrintStream out, PrintStream err,
                                  Map<String, String> environment) {
        URI uri = LockSpace.sharedMemory(directory, checkSpaceName(space));
        return new Invocation(uri, space, "in " + directory, "--dir and --space", out, err, environment);
    }

    /** The space {@code uri} names, on whichever backend its scheme chooses. */
    static Invocation atUri(String uri, PrintStream out, PrintStream err, Map<String, String> environment) {
        URI parsed;
        try {
            parsed = SpaceUris.parse(uri);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid space URI '" + Text.printable(uri) + "': " + e.getMessage() + " (e.g. "
                    + SpaceUris.EXAMPLES + ")");
        }
        String name = SpaceUris.spaceName(parsed);
        return new Invocation(parsed, name, "at " + Text.printable(uri), "--space-uri", out, err, environment);
    }

    /**
     * Opens (creating if needed) the space, turning each way that can fail into its exit status:
     * see {@link #reach}.
     */
    LockSpace openSpace() {
        return reach(LockSpace::open);
    }

    /** Whether the space exists now (nothing is created); failures as for {@link #openSpace()}. */
    boolean spaceExists() {
        return reach(LockSpace::exists);
    }

    /**
     * Applies {@code operation} to the space's URI, turning each way that can fail into its exit
     * status: an unknown scheme (no backend for it) or a URI its backend cannot read 64; not a space
     * 65; permission (or an untrusted directory or file) 77; cannot create or open 73; in use (a
     * removal refused) 75; no futexes on this system, or the backend cannot reach the space (a
     * ZooKeeper ensemble that does not answer) 69.
     */
    <T> T reach(Function<URI, T> operation) {
        try {
            return operation.apply(spaceUri);
        } catch (SpaceFormatException e) {
            throw new CliException(ExitCodes.DATA_ERROR, e.getMessage());
        } catch (SpaceInUseException e) {
            throw new CliException(ExitCodes.SPACE_IN_USE, e.getMessage());
        } catch (SpaceUnavailableException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, e.getMessage());
        } catch (FutexRaException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw new CliException(ExitCodes.NO_PERMISSION, e.getMessage());
            }
            throw new CliException(ExitCodes.CANT_CREATE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
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
