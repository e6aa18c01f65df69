package io.futexra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
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
        assertEquals("Illegal character in authority at index 12",
                assertThrows(IllegalArgumentException.class, () -> SpaceUris.parse("zookeeper://a b")).getMessage());
    }

    @Test
    void shouldFindTheSpaceNameInTheLastPathSegment() {
        assertEquals("payroll", SpaceUris.spaceName(URI.create("shm:payroll")));
        assertEquals("payroll", SpaceUris.spaceName(URI.create("shm:/dev/shm/futex-ra/payroll")));
        assertEquals("payroll", SpaceUris.spaceName(URI.create("zookeeper://zk1:2181/futex-ra/payroll?sessionTimeout=5s")));
        assertEquals("", SpaceUris.spaceName(URI.create("zookeeper://zk1:2181")));
    }
}
