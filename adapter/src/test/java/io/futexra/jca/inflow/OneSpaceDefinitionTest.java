package io.futexra.jca.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.jca.FutexManagedConnectionFactory;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.SpaceDefinition;
import io.futexra.testing.TestSpaces;
import jakarta.resource.spi.ConfigProperty;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An MDB's activation and a connection definition given the same {@code spaceUri},
 * {@code directory} and {@code space} (blank or not, with or without the system properties that
 * fill in blanks) open the same space: a lock the connection holds is held in the space the
 * activation opens. Both sides are driven through their own classes, not through the parser they
 * share.
 */
@Timeout(120)
class OneSpaceDefinitionTest {

    private static final String[] PROPERTIES = {SpaceDefinition.DIRECTORY_PROPERTY, SpaceDefinition.SPACE_PROPERTY};

    private final TestSpaces dirs = new TestSpaces();
    private final TestSpaces byProperty = new TestSpaces();
    private final String unique = "one-definition-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<URI> opened = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        Arrays.stream(PROPERTIES).forEach(System::clearProperty);
        for (URI space : opened) {
            Files.deleteIfExists(Path.of(space.getPath() + ".space")); // the default directory's file too
        }
        dirs.close();
        byProperty.close();
    }

    @Test
    void shouldMeetInTheDefaultDirectoryWhenBothLeaveItBlank() throws Exception {
        for (String blank : new String[] {null, "", "  "}) {
            URI space = assertSameSpace(null, blank, unique);
            assertEquals(LockSpace.sharedMemory(LockSpace.defaultDirectory(), unique), space, "directory '" + blank + "'");
        }
    }

    @Test
    void shouldMeetInTheSpaceOfTheSystemPropertiesWhenBothLeaveDirectoryAndSpaceBlank() throws Exception {
        System.setProperty(SpaceDefinition.DIRECTORY_PROPERTY, byProperty.directory().toString());
        System.setProperty(SpaceDefinition.SPACE_PROPERTY, unique);
        URI space = assertSameSpace(null, null, "");
        assertEquals(LockSpace.sharedMemory(byProperty.directory(), unique), space);
    }

    @Test
    void shouldMeetInTheSameSpaceForEveryOtherCombinationOfTheirProperties() throws Exception {
        System.setProperty(SpaceDefinition.DIRECTORY_PROPERTY, byProperty.directory().toString());
        System.setProperty(SpaceDefinition.SPACE_PROPERTY, unique);
        String uri = LockSpace.sharedMemory(dirs.directory(), "by-uri").toString();
        for (String spaceUri : new String[] {null, "", uri}) {
            for (String directory : new String[] {null, "", dirs.directory().toString(), dirs.directory() + "/./"}) {
                for (String space : new String[] {null, " ", "named"}) {
                    assertSameSpace(spaceUri, directory, space);
                }
            }
        }
    }

    @Test
    void shouldLeaveTheBuiltInDefinitionsDirectoryAndSpaceToTheSharedDefaults() throws Exception {
        for (String property : new String[] {"directory", "space"}) {
            assertEquals("", FutexManagedConnectionFactory.class.getDeclaredField(property)
                    .getAnnotation(ConfigProperty.class).defaultValue(), "@ConfigProperty defaultValue of " + property);
        }
        FutexManagedConnectionFactory fresh = new FutexManagedConnectionFactory();
        assertNull(fresh.getDirectory());
        assertNull(fresh.getSpace());
        String xml = Files.readString(Path.of("../rar/src/main/rar/META-INF/ironjacamar.xml"));
        assertFalse(xml.contains("name=\"directory\""), "ironjacamar.xml sets no directory: " + xml);
        assertFalse(xml.contains("name=\"space\""), "ironjacamar.xml sets no space: " + xml);
    }

    /**
     * Holds a lock through a connection definition of these properties and checks that the
     * activation of the same properties opens the space where it is held.
     *
     * @return the space both opened
     */
    private URI assertSameSpace(String spaceUri, String directory, String space) throws Exception {
        String what = "spaceUri '" + spaceUri + "', directory '" + directory + "', space '" + space + "'";
        FutexActivationSpec spec = new FutexActivationSpec();
        spec.setEvent("e");
        spec.setSpaceUri(spaceUri);
        spec.setDirectory(directory);
        spec.setSpace(space);
        spec.validate();
        URI inbound = spec.spaceUri();
        opened.add(inbound);

        FutexManagedConnectionFactory mcf = new FutexManagedConnectionFactory();
        mcf.setSpaceUri(spaceUri);
        mcf.setDirectory(directory);
        mcf.setSpace(space);
        try (LockConnection connection = ((LockFactory) mcf.createConnectionFactory()).getConnection();
             Held held = connection.lock("probe").acquire();
             LockSpace seen = LockSpace.open(inbound)) {
            assertTrue(held.isHeld());
            assertTrue(seen.lock("probe").tryAcquire().isEmpty(),
                    what + ": the activation's space " + inbound + " is not the one where the connection holds 'probe'");
        } finally {
            mcf.close();
        }
        try (LockSpace seen = LockSpace.open(inbound); Held again = seen.lock("probe").tryAcquire().orElseThrow()) {
            assertTrue(again.isHeld(), what + ": free again once the connection released it");
        }
        return inbound;
    }
}
