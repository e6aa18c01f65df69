package io.futexra.cli;

/**
 * A minimal JSON writer for {@code ls --json}: objects, strings, numbers, booleans and null, with
 * RFC 8259 string escaping. Written by hand to keep the command free of dependencies.
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    Json beginArray() {
        separate();
        out.append('[');
        first = true;
        return this;
    }

    Json endArray() {
        out.append(']');
        first = false;
        return this;
    }

    Json beginObject() {
        separate();
        out.append('{');
        first = true;
        return this;
    }

    Json endObject() {
        out.append('}');
        first = false;
        return this;
    }

    Json field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
        return this;
    }

    Json field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    Json field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void key(String name) {
        separate();
        string(out, name);
        out.append(':');
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    /** Appends {@code s} as a JSON string: quotes, backslash and {@linkplain Text#mustEscape unsafe characters} escaped. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Text.mustEscape(c)) {
                        Text.unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
