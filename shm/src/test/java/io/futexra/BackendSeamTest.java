package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API's backend seam: spaces opened by URI, the shared-memory backend found by its scheme, {@link Held#isHeld()}. */
class BackendSeamTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    final TestSpaces dirs = scratch.spaces();

    @Test
    void shouldOpenTheSameSpaceByUriAndByPath() {
        URI uri = LockSpace.sharedMemory(dirs.directory(), "seam");
        assertEquals("shm", uri.getScheme());
        try (LockSpace byPath = LockSpace.open(dirs.directory(), "seam"); LockSpace byUri = LockSpace.open(uri)) {
            try (Held held = byPath.lock("l").acquire()) {
                assertTrue(byUri.lock("l").isHeldByCurrentThread(), "one lock word, whichever way the space was opened");
                assertEquals(byUri.objects().get(0).fencingToken(), held.fencingToken(), "one token, both ways");
            }
        }
        assertTrue(LockSpace.remove(uri));
        assertFalse(LockSpace.remove(uri));
    }

    @Test
    void shouldRefuseASpaceNameThatWouldLeaveItsDirectory() {
        for (String bad : new String[] {"../escape", "a/b", "..", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LockSpace.open(LockSpace.sharedMemory(dirs.directory(), bad)));
            assertTrue(e.getMessage().contains("invalid space name"), bad + ": " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(URI.create("shm:" + dirs.directory() + "/%2E%2E")));
        assertTrue(e.getMessage().contains("invalid space name"), e.getMessage());
    }

    @Test
    void shouldNameTheSchemesItKnowsWhenNoBackendServesOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(URI.create("etcd://localhost:2379/x")));
        assertTrue(e.getMessage().contains("no futex-ra backend for etcd") && e.getMessage().contains("shm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LockSpace.open(URI.create("payroll")));
        assertTrue(e.getMessage().contains("has no scheme"), e.getMessage());
    }

    @Test
    void shouldSayHowASharedMemoryUriIsWritten() {
        for (String bad : new String[] {"shm://host/dir/x", "shm:/dir/x?capacity=3", "shm:x#frag",
            "shm:/tmp/a%2Fb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockSpace.open(URI.create(bad)));
            assertTrue(e.getMessage().contains("shm:/DIRECTORY/NAME"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void shouldRefuseToAwaitEventsOfAnUnknownBackend() {
        NamedEvent foreign = new NamedEvent() {
            @Override public String name() {
                return "foreign";
            }
            @Override public EventMode mode() {
                return EventMode.MANUAL_RESET;
            }
            @Override public void signal() {
            }
            @Override public void reset() {
            }
            @Override public boolean await(Duration timeout) {
                return false;
            }
            @Override public boolean isSignaled() {
                return false;
            }
        };
        try (LockSpace space = LockSpace.open(dirs.directory(), "await")) {
            NamedEvent ours = space.event("e", EventMode.MANUAL_RESET);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NamedEvent.awaitAny(Duration.ZERO, ours, foreign));
            assertTrue(e.getMessage().contains("not handed out by any futex-ra backend"), e.getMessage());
            ours.signal();
            assertEquals(0, NamedEvent.awaitAny(Duration.ZERO, ours));
        }
    }

    @Test
    void shouldTellWhetherAHoldStillHolds() {
        try (LockSpace space = LockSpace.open(dirs.directory(), "held")) {
            Held thread = space.lock("t").acquire();
            Held process = space.lock("p").acquireForProcess(Duration.ofSeconds(30));
            Held read = space.readWriteLock("rw").readLock().acquire();
            Held permit = space.semaphore("s", 2).acquire();
            for (Held h : new Held[] {thread, process, read, permit}) {
                assertTrue(h.isHeld(), h + " before close");
                h.close();
                assertFalse(h.isHeld(), h + " after close");
            }
        }
    }
}
