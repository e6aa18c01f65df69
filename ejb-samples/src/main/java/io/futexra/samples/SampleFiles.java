package io.futexra.samples;

import java.nio.file.Path;

/**
 * Where the samples keep their small shared state: {@code futexra.samples.dir} (system property),
 * by default {@code /dev/shm/futex-ra/samples}, shared by every server of the host.
 */
final class SampleFiles {

    static final String DIR_PROPERTY = "futexra.samples.dir";

    private SampleFiles() {
    }

    static Path dir() {
        return Path.of(System.getProperty(DIR_PROPERTY, "/dev/shm/futex-ra/samples"));
    }
}
