package io.futexra.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as scripts write them: a whole number with a unit, {@code ms}, {@code s}, {@code m},
 * {@code h} ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}), or ISO-8601 ({@code PT30S},
 * {@code PT0.5S}), or a bare {@code 0}. Zero is allowed (try once, do not wait); negative is not. Parsed by hand: a
 * regular expression would cost the start-up a few milliseconds.
 */
final class Durations {

    /** Larger timeouts are surely mistakes, and would overflow nanosecond deadlines. */
    static final Duration MAX = Duration.ofDays(365);

    private Durations() {
    }

    /** Parses {@code text}, the value of {@code option}; a bad value is a usage error naming both. */
    static Duration parse(String option, String text) {
        Duration d = text.isEmpty() ? null
                : (text.charAt(0) == 'P' || text.charAt(0) == 'p') ? iso(text) : withUnit(text);
        if (d == null) {
            throw CliException.usage("invalid duration '" + text + "' for " + option
                    + ": use a whole number with ms, s, m or h (250ms, 30s, 5m, 1h) or ISO-8601 (PT30S)");
        }
        if (d.isNegative()) {
            throw CliException.usage("invalid duration '" + text + "' for " + option + ": it must not be negative");
        }
        if (d.compareTo(MAX) > 0) {
            throw CliException.usage("duration '" + text + "' for " + option + " is longer than a year;"
                    + " leave the option out to wait without limit");
        }
        return d;
    }

    /** Formats a duration the way {@link #parse} reads it, in the largest exact unit. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0 && d.compareTo(MAX) <= 0) {
            return d.toString();
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static Duration iso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration withUnit(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return null; // no number, or one so long that no unit makes it a sensible timeout
        }
        long amount = Long.parseLong(text, 0, digits, 10);
        switch (text.substring(digits)) {
            case "":
                return amount == 0 ? Duration.ZERO : null; // a bare 0 is clear; a bare 5 is not
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return null;
        }
    }
}
