package io.futexra.zookeeper;

import io.futexra.kit.NameRules;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Object names as znode names. A name is checked by shared memory's rule ({@link Names}: 1 to 128
 * bytes of UTF-8, no control characters, the same messages), then encoded so that any
 * such name is a legal znode name: bytes of {@code [A-Za-z0-9_-]} and {@code .} stay, every other
 * byte of the UTF-8 becomes {@code %XX} (so {@code /}, {@code %}, spaces and non-ASCII cannot
 * reach ZooKeeper's path rules), and a name of dots only ({@code .}, {@code ..}) is encoded whole.
 * {@link #decode} reverses it for {@link io.futexra.LockSpace#objects()}.
 */
final class ZkNames {

    private ZkNames() {
    }

    /** {@code name}, checked, as a znode name. */
    static String encode(String name) {
        byte[] utf8 = NameRules.checkObjectName(name);
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
}
