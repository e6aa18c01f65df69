package io.futexra.kit;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The API's rules for space and object names ({@link io.futexra.LockSpace} states them), one copy
 * for every backend, with the same messages everywhere. A name is never used as a path.
 */
public final class NameRules {

    /** A space name's longest length, in characters. */
    public static final int SPACE_NAME_MAX_LENGTH = 100;
    /** An object name's longest length, in bytes of UTF-8. */
    public static final int OBJECT_NAME_MAX_BYTES = 128;
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (SPACE_NAME_MAX_LENGTH - 1) + "}");

    private NameRules() {
    }

    /**
     * Checks a space name, which may become a file name: no separators, no {@code ..}, no leading dot.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it breaks the rule (the message says the rule)
     */
    public static String checkSpaceName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("space name is null");
        }
        if (!SPACE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("invalid space name '" + printable(name) + "': use 1 to "
                    + SPACE_NAME_MAX_LENGTH + " characters of A-Z a-z 0-9 . _ -, starting with a letter or digit,"
                    + " without '..'");
        }
        return name;
    }

    /**
     * Checks an object name: 1 to {@value #OBJECT_NAME_MAX_BYTES} bytes of UTF-8, no control characters.
     *
     * @param name the name
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException if it breaks the rule (the message says the rule)
     */
    public static byte[] checkObjectName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("object name is null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("object name is empty: give every lock, semaphore and event a name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("invalid object name '" + printable(name) + "': control character U+"
                        + String.format("%04X", (int) name.charAt(i)) + " at index " + i + "; use printable characters");
            }
        }
        byte[] utf8;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            utf8 = Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid object name '" + printable(name)
                    + "': not valid Unicode (an unpaired surrogate)", e);
        }
        if (utf8.length > OBJECT_NAME_MAX_BYTES) {
            throw new IllegalArgumentException("object name too long: " + utf8.length + " bytes of UTF-8, at most "
                    + OBJECT_NAME_MAX_BYTES + " allowed ('" + printable(name).substring(0, 40) + "...')");
        }
        return utf8;
    }

    /**
     * The name with control characters shown as escapes, for error messages.
     *
     * @param name the name
     * @return a printable form of it
     */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
