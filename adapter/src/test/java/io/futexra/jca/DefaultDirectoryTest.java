package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import jakarta.resource.spi.ConfigProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The default directory is {@link LockSpace#DEFAULT_DIRECTORY}; the two places that cannot refer
 * to it (an annotation needs a constant, {@code ironjacamar.xml} is not Java) repeat it, and this
 * checks they still agree with it.
 */
class DefaultDirectoryTest {

    private static final String DEFAULT = LockSpace.DEFAULT_DIRECTORY.toString();

    @Test
    void connectionDefinitionDefaultsToTheLibrarysDirectory() throws ReflectiveOperationException {
        String declared = FutexManagedConnectionFactory.class.getDeclaredField("directory")
                .getAnnotation(ConfigProperty.class).defaultValue();
        assertEquals(DEFAULT, declared, "@ConfigProperty defaultValue of 'directory'");
        assertEquals(DEFAULT, new FutexManagedConnectionFactory().getDirectory());
    }

    @Test
    void bundledDefinitionDefaultsToTheLibrarysDirectory() throws IOException {
        String xml = Files.readString(Path.of("../rar/src/main/rar/META-INF/ironjacamar.xml"));
        String property = "<config-property name=\"directory\">${futexra.directory:" + DEFAULT + "}</config-property>";
        assertTrue(xml.contains(property), "ironjacamar.xml should contain " + property);
    }
}
