package io.futexra.cli;

/** Small text helpers for messages and tables. */
final class Text {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Text() {
    }

    /** {@code s} with {@linkplain #mustEscape unsafe characters} shown as {@code \}{@code uXXXX}, on one line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (mustEscape(c)) {
                unicodeEscape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Whether {@code c} could make a terminal or a reader see something other than the text: C0
     * and C1 controls and DEL ({@code U+009B} is a one-byte CSI on many terminals), format
     * characters (Unicode category Cf: bidi overrides such as {@code U+202E}, zero-width joiners,
     * the BOM), and the line and paragraph separators.
     */
    static boolean mustEscape(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Appends {@code \}{@code uXXXX} for {@code c}. */
    static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
    }

    /** {@code s} padded with spaces on the right to {@code width}. */
    static String padRight(String s, int width) {
        StringBuilder out = new StringBuilder(width).append(s);
        while (out.length() < width) {
            out.append(' ');
        }
        return out.toString();
    }
}
