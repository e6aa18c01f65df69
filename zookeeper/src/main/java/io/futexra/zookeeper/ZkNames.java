package io.futexra.zookeeper;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Object names as znode names. A name is checked by the same rules, with the same messages, as in
 * a shared-memory space (1 to 128 bytes of UTF-8, no control characters), then encoded so that any
 * such name is a legal znode name: bytes of {@code [A-Za-z0-9_-]} and {@code .} stay, every other
 * byte of the UTF-8 becomes {@code %XX} (so {@code /}, {@code %}, spaces and non-ASCII cannot
 * reach ZooKeeper's path rules), and a name of dots only ({@code .}, {@code ..}) is encoded whole.
 * {@link #decode} reverses it for {@link io.futexra.LockSpace#objects()}.
 */
final class ZkNames {

    /** The longest object name in UTF-8 bytes: the same as shared memory's. */
    static final int NAME_MAX_LENGTH = 128;

    private ZkNames() {
    }

    /** {@code name}, checked, as a znode name. */
    static String encode(String name) {
        byte[] utf8 = check(name);
        boolean dotsOnly = name.chars().allMatch(c -> c == '.');
        StringBuilder out = new StringBuilder(utf8.length * 3);
        for (byte b : utf8) {
            int c = b & 0xff;
            boolean plain = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || (c == '.' && !dotsOnly));
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The object name {@code node} encodes. */
    static String decode(String node) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(node.length());
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (c == '%' && i + 2 < node.length()) {
                bytes.write(Integer.parseInt(node.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] check(String name) {
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
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid object name '" + printable(name)
                    + "': not valid Unicode (an unpaired surrogate)", e);
        }
        if (encoded.limit() > NAME_MAX_LENGTH) {
            throw new IllegalArgumentException("object name too long: " + encoded.limit() + " bytes of UTF-8, at most "
                    + NAME_MAX_LENGTH + " allowed ('" + printable(name).substring(0, 40) + "...')");
        }
        byte[] utf8 = new byte[encoded.limit()];
        encoded.get(utf8);
        return utf8;
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
