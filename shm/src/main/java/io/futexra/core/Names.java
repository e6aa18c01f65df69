package io.futexra.core;

import io.futexra.kit.NameRules;

/**
 * The name rules as the core uses them: the API's {@link NameRules}, plus the hash that places a
 * name in the slot table.
 */
final class Names {

    static final int SPACE_NAME_MAX_LENGTH = NameRules.SPACE_NAME_MAX_LENGTH;

    private Names() {
    }

    /** Checks a space name, which becomes a file name (see {@link NameRules#checkSpaceName}). */
    static String checkSpaceName(String name) {
        return NameRules.checkSpaceName(name);
    }

    /** Checks an object name and returns its UTF-8 bytes (see {@link NameRules#checkObjectName}). */
    static byte[] checkObjectName(String name) {
        return NameRules.checkObjectName(name);
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
        return NameRules.printable(name);
    }
}
