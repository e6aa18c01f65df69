package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.testing.TestSpaces;
import jakarta.resource.ResourceException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection definition chooses its space, and so its backend, by the property {@code spaceUri}:
 * the URI reaches the real backend (here shared memory, whose file another handle then sees), a
 * URI naming the same file as {@code directory} + {@code space} shares one open space with it, and
 * a bad URI or one no backend serves is refused when the definition is bound, naming the property.
 * (The MDB's {@code spaceUri}: {@code FutexActivationSpecTest}.)
 */
@Timeout(60)
class SpaceUriTest {

    private final TestSpaces dirs = new TestSpaces();
    private final FutexManagedConnectionFactory mcf = new FutexManagedConnectionFactory();
    private final AdapterRuntime runtime = new AdapterRuntime(null);

    @AfterEach
    void cleanUp() throws Exception {
        mcf.close();
        runtime.stop();
        dirs.close();
    }

    @Test
    void shouldTakeALockInTheSpaceTheUriNames() throws Exception {
        mcf.setSpaceUri("shm:" + dirs.directory() + "/by-uri");
        LockFactory factory = (LockFactory) mcf.createConnectionFactory();
        try (LockConnection c = factory.getConnection(); Held held = c.lock("nightly").acquire(Duration.ofSeconds(10));
             LockSpace same = LockSpace.open(dirs.directory(), "by-uri")) {
            ObjectInfo seen = same.objects().stream().filter(o -> o.name().equals("nightly")).findFirst().orElseThrow();
            assertTrue(seen.isHeld(), "the lock taken through spaceUri is held in " + dirs.directory() + ": " + seen);
            assertEquals(ProcessHandle.current().pid(), seen.holderPid());
            assertTrue(same.lock("nightly").tryAcquire().isEmpty(), "another handle cannot take it");
        }
    }

    @Test
    void shouldShareOneSpaceBetweenAUriAndTheDirectoryAndNameOfTheSameFile() {
        SpaceConfig byUri = SpaceConfig.parse("shm:" + dirs.directory() + "/shared", null, null, "rw-rw----", "GREEDY",
                null, false);
        SpaceConfig byName = SpaceConfig.parse(null, dirs.directory().toString(), "shared", "rw-rw----", "GREEDY", null,
                false);
        assertEquals("shared", byUri.space());
        assertSame(runtime.space(byName), runtime.space(byUri));
    }

    @Test
    void shouldRefuseAUriWithoutSchemeOrMalformedNamingTheProperty() {
        for (String bad : new String[] {"/dev/shm/futex-ra/payroll", "zookeeper://zk1:2181/a b"}) {
            mcf.setSpaceUri(bad);
            ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
            assertTrue(e.getMessage().contains("FUTEXRA040") && e.getMessage().contains("'spaceUri' = '" + bad + "'")
                    && e.getMessage().contains("zookeeper://"), e.getMessage());
        }
    }

    @Test
    void shouldSayWhichBackendIsMissingForAnUnknownScheme() {
        mcf.setSpaceUri("nosuchbackend://host:1/futex-ra/payroll");
        ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("FUTEXRA041") && e.getMessage().contains("no futex-ra backend for nosuchbackend")
                && e.getMessage().contains("[shm]") && e.getMessage().contains("jars in the RAR"), e.getMessage());
    }

    @Test
    void shouldRefuseAShmUriItsBackendCannotRead() {
        mcf.setSpaceUri("shm://host/payroll");
        ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("FUTEXRA041") && e.getMessage().contains("not a shared-memory space URI"),
                e.getMessage());
    }
}
