package io.futexra.cli;

/** Small text helpers for messages and tables. */
final class Text {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Text() {
    }

    /** {@code s} with control characters shown as {@code \}{@code uXXXX}, safe to print on one line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                unicodeEscape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
