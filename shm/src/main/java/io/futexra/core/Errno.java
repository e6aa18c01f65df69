package io.futexra.core;

import java.util.Map;

/** Linux errno values as {@code strerror(3)} words them, for messages about failed system calls. */
final class Errno {

    private static final Map<Integer, String> TEXT = Map.ofEntries(
            Map.entry(1, "Operation not permitted"),
            Map.entry(2, "No such file or directory"),
            Map.entry(12, "Cannot allocate memory"),
            Map.entry(13, "Permission denied"),
            Map.entry(17, "File exists"),
            Map.entry(20, "Not a directory"),
            Map.entry(21, "Is a directory"),
            Map.entry(23, "Too many open files in system"),
            Map.entry(24, "Too many open files"),
            Map.entry(28, "No space left on device"),
            Map.entry(30, "Read-only file system"),
            Map.entry(36, "File name too long"),
            Map.entry(40, "Too many levels of symbolic links"),
            Map.entry(95, "Operation not supported"),
            Map.entry(122, "Disk quota exceeded"));

    private Errno() {
    }

    /** "Not a directory (errno 20)", or "errno N" for one not in the table. */
    static String describe(int errno) {
        String text = TEXT.get(errno);
        return text == null ? "errno " + errno : text + " (errno " + errno + ")";
    }
}
