package io.futexra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;

/**
 * The one reader of space URIs that people write (the CLI's {@code --space-uri}, the adapter's
 * {@code spaceUri} config and activation properties): what it accepts, the phrase it gives for
 * what it refuses, and the space name it finds.
 */
class SpaceUrisTest {

    @Test
    void shouldReadAUriWithASchemeTrimmed() {
        assertEquals(URI.create("zookeeper://zk1:2181,zk2:2181/futex-ra/payroll"),
                SpaceUris.parse(" zookeeper://zk1:2181,zk2:2181/futex-ra/payroll\n"));
        assertEquals(URI.create("shm:payroll"), SpaceUris.parse("shm:payroll"));
    }

    @Test
    void shouldSayWhatIsWrongWithTextItRefuses() {
        assertEquals("it has no scheme",
                assertThrows(IllegalArgumentException.class, () -> SpaceUris.parse("/dev/shm/futex-ra/x")).getMessage());
        assertEquals("it has no scheme",
                assertThrows(IllegalArgumentException.class, () -> SpaceUris.parse("   ")).getMessage());
        // the JDK's own reason and index (Java 17 points at the space, 25 at the character after it)
        URISyntaxException jdk = assertThrows(URISyntaxException.class, () -> new URI("zookeeper://a b"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SpaceUris.parse("zookeeper://a b"));
        assertEquals(jdk.getReason() + " at index " + jdk.getIndex(), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("Illegal character in authority at index "), refused.getMessage());
    }

    @Test
    void shouldFindTheSpaceNameInTheLastPathSegment() {
        assertEquals("payroll", SpaceUris.spaceName(URI.create("shm:payroll")));
        assertEquals("payroll", SpaceUris.spaceName(URI.create("shm:/dev/shm/futex-ra/payroll")));
        assertEquals("payroll", SpaceUris.spaceName(URI.create("zookeeper://zk1:2181/futex-ra/payroll?sessionTimeout=5s")));
        assertEquals("", SpaceUris.spaceName(URI.create("zookeeper://zk1:2181")));
    }
}
