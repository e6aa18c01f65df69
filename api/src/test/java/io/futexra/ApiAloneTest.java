package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API stands alone: this module's test class path holds only {@code io.futexra} and
 * {@code io.futexra.spi} (Maven gives the API module no dependency) — no backend, no JNA, no
 * Curator — and every API type that needs no backend loads and works, while opening a space says
 * that no backend serves the scheme, instead of failing to load a class.
 */
class ApiAloneTest {

    @Test
    void shouldLoadAndUseTheApiWithNoBackendOnTheClassPath() {
        LockOptions.fair().withSpinLimit(LockOptions.ADAPTIVE);
        SpaceOptions.defaults().withCapacity(8).fileModeBits();
        new SpaceReport("s", "summary", List.of(), List.of("w")).isValid();
        LockSpace.sharedMemory(Path.of("/dev/shm/x"), "y");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(URI.create("shm:payroll")));
        assertEquals("no futex-ra backend for shm: URIs (found: [])",
                refused.getMessage().substring(0, "no futex-ra backend for shm: URIs (found: [])".length()),
                refused.getMessage());
    }
}
