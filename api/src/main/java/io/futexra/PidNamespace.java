package io.futexra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's PID namespace, as {@link ObjectInfo#holderPidNamespace()} names namespaces. */
final class PidNamespace {

    /** The inode of {@code /proc/self/ns/pid} ({@code pid:[N]}), or 0 if it cannot be read. */
    static final long OF_THIS_PROCESS = read();

    private PidNamespace() {
    }

    private static long read() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self/ns/pid"), "unix:ino")).longValue();
        } catch (IOException | RuntimeException unknown) {
            return 0L;
        }
    }
}
