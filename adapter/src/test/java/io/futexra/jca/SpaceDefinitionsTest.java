package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.SpaceOptions;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection definition's {@code fileMode} and {@code capacity} are what an MDB activation opening
 * the same space first creates it with; a {@code fileMode} writable by others fails the definition
 * ({@code FUTEXRA040}) unless {@code allowWorldWritable} is set.
 */
class SpaceDefinitionsTest {

    private final TestSpaces spaces = new TestSpaces();
    private final AdapterRuntime runtime = new AdapterRuntime(null);

    @AfterEach
    void cleanUp() throws Exception {
        runtime.stop();
        spaces.close();
    }

    @Test
    void shouldGiveAnActivationTheOptionsOfTheDefinitionNamingItsSpace() {
        Path dir = spaces.file("defs");
        SpaceConfig config = SpaceConfig.parse(null, dir.toString(), "payroll", "rw-r-----", "FAIR", 32, false);
        runtime.space(config);
        SpaceOptions options = runtime.optionsFor(LockSpace.sharedMemory(dir.resolve("sub/.."), "payroll"));
        assertEquals(32, options.capacity());
        assertEquals("rw-r-----", PosixFilePermissions.toString(options.fileMode()));
        assertEquals(SpaceOptions.defaults(), runtime.optionsFor(LockSpace.sharedMemory(dir, "other")), "an undefined space: defaults");
    }

    @Test
    void shouldRefuseAWorldWritableFileModeUnlessAllowed() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.parse(null, "/dev/shm/x", "s", "rw-rw-rw-", "GREEDY", 8, false));
        assertTrue(refused.getMessage().startsWith("FUTEXRA040")
                && refused.getMessage().contains("set the property 'allowWorldWritable' to true"), refused.getMessage());
        SpaceConfig allowed = SpaceConfig.parse(null, "/dev/shm/x", "s", "rw-rw-rw-", "GREEDY", 8, true);
        assertTrue(allowed.options().worldWritableAllowed());
    }
}
