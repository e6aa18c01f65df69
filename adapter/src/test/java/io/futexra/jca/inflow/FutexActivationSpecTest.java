package io.futexra.jca.inflow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import jakarta.resource.spi.InvalidPropertyException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The activation properties' validation: every error names the property and what to write. */
class FutexActivationSpecTest {

    private static FutexActivationSpec event(String name) {
        FutexActivationSpec spec = new FutexActivationSpec();
        spec.setEvent(name);
        return spec;
    }

    private static String refused(FutexActivationSpec spec) {
        return assertThrows(InvalidPropertyException.class, spec::validate).getMessage();
    }

    @Test
    void shouldAcceptAnEventWithDefaults() throws Exception {
        FutexActivationSpec spec = event("import-done");
        assertDoesNotThrow(spec::validate);
        assertEquals(EventMode.AUTO_RESET, spec.eventMode());
        assertEquals(FutexActivationSpec.DEFAULT_MAX_CONCURRENCY, spec.concurrency());
        assertTrue(spec.where().directory().isAbsolute());
    }

    @Test
    void shouldOpenTheSpaceOfItsUriOrOfItsDirectoryAndName() throws Exception {
        FutexActivationSpec byUri = event("import-done");
        byUri.setSpaceUri(" zookeeper://zk1:2181,zk2:2181/futex-ra/payroll ");
        byUri.setDirectory("relative: not used with a URI");
        byUri.validate();
        assertEquals(URI.create("zookeeper://zk1:2181,zk2:2181/futex-ra/payroll"), byUri.spaceUri());
        assertEquals("payroll", byUri.spaceName());
        byUri.setSpaceUri("zookeeper://zk1:2181/futex-ra/payroll?sessionTimeout=10s");
        assertEquals("payroll", byUri.spaceName(), "the name, without the URI's options");
        FutexActivationSpec byName = event("import-done");
        byName.setDirectory("/dev/shm/elsewhere");
        byName.setSpace("payroll");
        byName.validate();
        assertEquals(LockSpace.sharedMemory(Path.of("/dev/shm/elsewhere"), "payroll"), byName.spaceUri());
    }

    @Test
    void shouldRefuseASpaceUriWithoutScheme() {
        FutexActivationSpec spec = event("e");
        spec.setSpaceUri("/dev/shm/futex-ra/payroll");
        String message = refused(spec);
        assertTrue(message.contains("FUTEXRA060") && message.contains("'spaceUri'") && message.contains("zookeeper://"),
                message);
    }

    @Test
    void shouldAcceptAManualResetModeInAnyCase() throws Exception {
        FutexActivationSpec spec = event("import-done");
        spec.setMode(" manual_reset ");
        spec.validate();
        assertEquals(EventMode.MANUAL_RESET, spec.eventMode());
    }

    @Test
    void shouldRequireExactlyOneOfEventAndOwnerDeathOf() {
        assertTrue(refused(new FutexActivationSpec()).contains("'event'"));
        FutexActivationSpec both = event("e");
        both.setOwnerDeathOf("nightly-job");
        assertTrue(refused(both).contains("exactly one"));
        FutexActivationSpec death = new FutexActivationSpec();
        death.setOwnerDeathOf("nightly-job");
        assertDoesNotThrow(death::validate);
        assertTrue(death.watchesOwnerDeath());
    }

    @Test
    void shouldRefuseAnUnknownMode() {
        FutexActivationSpec spec = event("e");
        spec.setMode("SOMETIMES");
        String message = refused(spec);
        assertTrue(message.contains("FUTEXRA060") && message.contains("'mode'") && message.contains("MANUAL_RESET"),
                message);
    }

    @Test
    void shouldRefuseARelativeDirectoryAndABadConcurrency() {
        FutexActivationSpec relative = event("e");
        relative.setDirectory("spaces/here");
        assertTrue(refused(relative).contains("'directory'"));
        FutexActivationSpec zero = event("e");
        zero.setMaxConcurrency(0);
        assertTrue(refused(zero).contains("'maxConcurrency'"));
    }
}
