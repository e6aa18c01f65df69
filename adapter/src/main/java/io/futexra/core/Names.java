package io.futexra.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Validation of space and object names; a name is never used as a path. */
final class Names {

    static final int SPACE_NAME_MAX_LENGTH = 100;
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (SPACE_NAME_MAX_LENGTH - 1) + "}");

    private Names() {
    }

    /** Checks a space name, which becomes a file name: no separators, no {@code ..}, no leading dot. */
    static String checkSpaceName(String name) {
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

    /** Checks an object name and returns its UTF-8 bytes. */
    static byte[] checkObjectName(String name) {
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
        if (utf8.length > SlotDescriptor.NAME_MAX_LENGTH) {
            throw new IllegalArgumentException("object name too long: " + utf8.length + " bytes of UTF-8, at most "
                    + SlotDescriptor.NAME_MAX_LENGTH + " allowed ('" + printable(name).substring(0, 40) + "...')");
        }
        return utf8;
    }

    /** FNV-1a over the UTF-8 bytes: where the name's probe sequence starts. */
    static int hash(byte[] utf8) {
        int h = 0x811c9dc5;
        for (byte b : utf8) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    /** The name with control characters shown as escapes, for error messages. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
