package io.futexra.cli;

import java.util.Arrays;
import java.util.List;

/**
 * A cursor over the command line. Options are {@code --name VALUE} or {@code --name=VALUE};
 * {@code --} ends the options. Every mistake becomes a {@link CliException#usage usage error}
 * naming the offending argument.
 */
final class Arguments {

    private final String[] args;
    private int next;
    /** The value of the last matched {@code --name=VALUE}, or null. */
    private String inlineValue;

    Arguments(String[] args) {
        this.args = args.clone();
    }

    boolean hasNext() {
        return next < args.length;
    }

    /** The next argument without consuming it, or null at the end. */
    String peek() {
        return hasNext() ? args[next] : null;
    }

    /** Consumes and returns the next argument; {@code what} names it in the error if there is none. */
    String next(String what) {
        if (!hasNext()) {
            throw CliException.usage("missing " + what);
        }
        return args[next++];
    }

    /** Whether the next argument looks like an option ({@code -x} or {@code --x}, but not {@code --} or {@code -}). */
    boolean atOption() {
        String a = peek();
        return a != null && a.length() > 1 && a.charAt(0) == '-' && !a.equals("--");
    }

    /**
     * Consumes the next argument if it is option {@code name}, with or without an inline value.
     * A flag (an option without value) given an inline value is an error.
     */
    boolean option(String name, boolean takesValue) {
        String a = peek();
        if (a == null) {
            return false;
        }
        if (a.equals(name)) {
            next++;
            inlineValue = null;
            return true;
        }
        if (a.length() > name.length() && a.startsWith(name) && a.charAt(name.length()) == '=') {
            if (!takesValue) {
                throw CliException.usage("option " + name + " takes no value: '" + a + "'");
            }
            next++;
            inlineValue = a.substring(name.length() + 1);
            return true;
        }
        return false;
    }

    /** The value of the option just matched by {@link #option}. */
    String value(String name) {
        if (inlineValue != null) {
            String v = inlineValue;
            inlineValue = null;
            return v;
        }
        if (!hasNext()) {
            throw CliException.usage("option " + name + " needs a value");
        }
        return args[next++];
    }

    /** Consumes {@code --} if it is next. */
    boolean endOfOptions() {
        if ("--".equals(peek())) {
            next++;
            return true;
        }
        return false;
    }

    /** Everything not yet consumed. */
    List<String> rest() {
        List<String> rest = Arrays.asList(Arrays.copyOfRange(args, next, args.length));
        next = args.length;
        return rest;
    }

    /** Fails with a usage error unless every argument was consumed. */
    void expectEnd(String command) {
        if (hasNext()) {
            String a = peek();
            throw CliException.usage((atOption() ? "unknown option '" : "unexpected argument '") + a + "' for "
                    + command);
        }
    }

    /** The usage error for an option the current command does not know. */
    CliException unknownOption(String command) {
        return CliException.usage("unknown option '" + peek() + "' for " + command);
    }
}
