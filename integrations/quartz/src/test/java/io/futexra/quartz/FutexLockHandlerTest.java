package io.futexra.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.impl.jdbcjobstore.LockException;

/** The handler as Quartz's job store calls it, in one JVM: names, ownership, timeout, release. */
class FutexLockHandlerTest {

    @TempDir
    Path dir;

    private FutexLockHandler handler(String scheduler, String prefix) {
        FutexLockHandler handler = new FutexLockHandler();
        handler.setSpaceDirectory(dir.toString());
        handler.setSpaceName("handler-test");
        handler.setSchedName(scheduler);
        handler.setTablePrefix(prefix);
        handler.setLockTimeoutMillis(200);
        return handler;
    }

    @Test
    void shouldNameTheLockAfterSchedulerTablePrefixAndQuartzLock() throws Exception {
        FutexLockHandler handler = handler("billing", "QRTZ_");
        assertFalse(handler.requiresConnection());
        assertTrue(handler.obtainLock(null, "STATE_ACCESS"));
        assertTrue(lock("quartz/billing/QRTZ_STATE_ACCESS").isHeld());
        handler.releaseLock("STATE_ACCESS");
        assertFalse(lock("quartz/billing/QRTZ_STATE_ACCESS").isHeld());
    }

    @Test
    void shouldOpenTheSpaceTheUriNamesWhenOneIsGiven() throws Exception {
        FutexLockHandler handler = new FutexLockHandler();
        handler.setSpaceUri(LockSpace.sharedMemory(dir, "by-uri").toString());
        handler.setSpaceName("not-this-one");
        handler.setSchedName("u");
        handler.setTablePrefix("QRTZ_");
        assertTrue(handler.obtainLock(null, "STATE_ACCESS"));
        try (LockSpace space = LockSpace.open(dir, "by-uri")) {
            assertTrue(space.objects().stream().anyMatch(o -> o.name().equals("quartz/u/QRTZ_STATE_ACCESS") && o.isHeld()),
                    "the lock is in the space the URI names");
        } finally {
            handler.releaseLock("STATE_ACCESS");
        }
        assertFalse(dir.resolve("not-this-one.space").toFile().exists(), "spaceName is not used when a URI is given");
    }

    @Test
    void shouldNotCountASecondObtainOnTheOwningThread() throws Exception {
        FutexLockHandler handler = handler("s", "QRTZ_");
        handler.obtainLock(null, "TRIGGER_ACCESS");
        handler.obtainLock(null, "TRIGGER_ACCESS");     // Quartz's semaphores: owned already, no count
        handler.releaseLock("TRIGGER_ACCESS");
        assertFalse(lock("quartz/s/QRTZ_TRIGGER_ACCESS").isHeld(), "one release frees it, as in StdRowLockSemaphore");
        assertEquals(1, lock("quartz/s/QRTZ_TRIGGER_ACCESS").acquisitions());
    }

    @Test
    void shouldIgnoreAReleaseByAThreadThatDoesNotOwnTheLock() throws Exception {
        FutexLockHandler handler = handler("s", "QRTZ_");
        handler.obtainLock(null, "TRIGGER_ACCESS");
        CompletableFuture.runAsync(() -> {
            try {
                handler.releaseLock("TRIGGER_ACCESS");
            } catch (LockException e) {
                throw new IllegalStateException(e);
            }
        }).get();
        assertTrue(lock("quartz/s/QRTZ_TRIGGER_ACCESS").isHeld());
        handler.releaseLock("TRIGGER_ACCESS");
        assertFalse(lock("quartz/s/QRTZ_TRIGGER_ACCESS").isHeld());
    }

    @Test
    void shouldFailWithALockExceptionNamingTheLockWhenAnotherSchedulerHoldsItTooLong() throws Exception {
        FutexLockHandler first = handler("s", "QRTZ_");
        FutexLockHandler second = handler("s", "QRTZ_");
        first.obtainLock(null, "TRIGGER_ACCESS");
        LockException e = CompletableFuture.supplyAsync(() -> assertThrows(LockException.class,
                () -> second.obtainLock(null, "TRIGGER_ACCESS"))).join();
        assertTrue(e.getMessage().contains("'quartz/s/QRTZ_TRIGGER_ACCESS'") && e.getMessage().contains("--space handler-test ls"),
                e.getMessage());
        first.releaseLock("TRIGGER_ACCESS");
    }

    @Test
    void shouldKeepSchedulersWithOtherNamesOrTablesApart() throws Exception {
        FutexLockHandler billing = handler("billing", "QRTZ_");
        FutexLockHandler reports = handler("reports", "QRTZ_");
        FutexLockHandler otherTables = handler("billing", "B_");
        billing.obtainLock(null, "TRIGGER_ACCESS");
        assertTrue(CompletableFuture.supplyAsync(() -> obtainAndRelease(reports) && obtainAndRelease(otherTables)).join());
        billing.releaseLock("TRIGGER_ACCESS");
    }

    @Test
    void shouldRefuseANonPositiveTimeoutSayingWhatToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FutexLockHandler().setLockTimeoutMillis(0));
        assertTrue(e.getMessage().contains("lockTimeoutMillis must be positive"), e.getMessage());
    }

    private static boolean obtainAndRelease(FutexLockHandler handler) {
        try {
            handler.obtainLock(null, "TRIGGER_ACCESS");
            handler.releaseLock("TRIGGER_ACCESS");
            return true;
        } catch (LockException e) {
            return false;
        }
    }

    private ObjectInfo lock(String name) {
        try (LockSpace space = LockSpace.open(dir, "handler-test")) {
            return space.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        }
    }
}
