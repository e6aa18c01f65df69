package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.EventDescriptor;
import io.futexra.core.HeaderDescriptor;
import io.futexra.core.HoldRecordDescriptor;
import io.futexra.core.LockDescriptor;
import io.futexra.core.SemaphoreDescriptor;
import io.futexra.core.SlotDescriptor;
import io.futexra.core.SpaceChecker;
import io.futexra.testing.AwaitState;
import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments at every edge of the API: each a clear exception saying what and what to do, no
 * hang, and the space still valid afterwards ({@link SpaceChecker}).
 */
@Timeout(120)
class BadInputTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final ExecutorService pool = scratch.pool();

    @Test
    void shouldTreatNegativeZeroAndHugeDurationsSanelyAndRefuseNull() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "durations")) {
            NamedLock lock = space.lock("d");
            NamedSemaphore sem = space.semaphore("s", 1);
            NamedEvent event = space.event("e", EventMode.AUTO_RESET);
            for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                Duration.ofDays(365L * 300), Duration.ofNanos(Long.MAX_VALUE)}) {
                lock.acquire(huge).close(); // free: taken at once, no overflow
                sem.acquire(huge).close();
            }
            try (Held mine = lock.acquire(); Held permit = sem.acquire()) {
                for (Duration due : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE)}) {
                    Future<?> other = pool.submit(() -> {
                        assertThrows(LockTimeoutException.class, () -> lock.acquire(due));
                        assertThrows(LockTimeoutException.class, () -> sem.acquire(due));
                        assertFalse(event.await(due));
                        return null;
                    });
                    // an overflowed deadline would wait for ever: the hang guard catches it (no timing asserted)
                    other.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                }
            }
            assertNpe("timeout", () -> lock.acquire(null));
            assertNpe("timeout", () -> lock.acquireForProcess(null));
            assertNpe("timeout", () -> sem.acquire(null));
            assertNpe("timeout", () -> event.await(null));
            assertNpe("timeout", () -> space.readWriteLock("rw").readLock().acquire(null));
            assertNpe("timeout", () -> NamedEvent.awaitAny(null, event));
        }
        assertValid("durations");
    }

    @Test
    void shouldRefuseBadPermitsModesOptionsAndKindsClearly() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "args")) {
            for (int permits : new int[] {0, -1, NamedSemaphore.MAX_PERMITS + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                assertMessage("permits must be 1 to 64", () -> space.semaphore("p", permits));
            }
            space.semaphore("p", 2);
            assertMessage("exists with 2 permits", () -> space.semaphore("p", 3));
            assertNpe("mode", () -> space.event("e", null));
            space.event("e", EventMode.MANUAL_RESET);
            assertMessage("exists as MANUAL_RESET", () -> space.event("e", EventMode.AUTO_RESET));
            assertMessage("is a EVENT, not a LOCK", () -> space.lock("e"));
            assertMessage("is a SEMAPHORE, not a READ_WRITE_LOCK", () -> space.readWriteLock("p"));
            assertMessage("spin limit must be", () -> new LockOptions(LockPolicy.GREEDY, -2));
            assertMessage("spin limit must be", () -> LockOptions.defaults().withSpinLimit(LockOptions.MAX_SPIN + 1));
            assertNpe("policy", () -> LockOptions.defaults().withPolicy(null));
            space.lock("fair", LockOptions.fair());
            assertMessage("exists with", () -> space.lock("fair", LockOptions.defaults()));
            assertEquals("fair", space.lock("fair", null).name(), "null options: the lock as it exists");
            assertMessage("capacity must be between", () -> new SpaceOptions(-5, SpaceOptions.DEFAULT_FILE_MODE));
            assertNpe("fileMode", () -> new SpaceOptions(8, null));
            assertNpe("directory", () -> LockSpace.open((Path) null, "x"));
            assertNpe("options", () -> LockSpace.open(dirs.directory(), "x", null));
            NamedEvent e = space.event("e", EventMode.MANUAL_RESET);
            assertMessage("awaitAny takes 1 or more events, not 0", () -> NamedEvent.awaitAny(Duration.ZERO));
            assertMessage("awaitAny takes 1 to 127 events, not 128",
                    () -> NamedEvent.awaitAny(Duration.ZERO, Collections.nCopies(128, e).toArray(new NamedEvent[0])));
            assertMessage("is not a futex-ra shared-memory event", () -> NamedEvent.awaitAny(Duration.ZERO, e, null));
            assertEquals(-1, NamedEvent.awaitAny(Duration.ZERO, e, e), "the same event twice is allowed");
            e.signal();
            assertEquals(0, NamedEvent.awaitAny(Duration.ZERO, e, e));
        }
        assertValid("args");
    }

    @Test
    void shouldSayClearlyWhenTheDirectoryIsAFile() throws Exception {
        Path file = dirs.file("plain-file");
        Files.writeString(file, "not a directory");
        FutexRaException e = assertThrows(FutexRaException.class, () -> LockSpace.open(file, "x"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals("not a directory", Files.readString(file), "nothing damaged");
    }

    /**
     * A registry word overwritten with an id that names no participant (only corruption can do
     * that) is taken over by the next creator, as a dead owner's would be: creators do not hang,
     * and the checker names the damage.
     */
    @Test
    void shouldTakeOverARegistryWordThatNamesNoParticipant() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "registry")) {
            space.lock("existing");
            Path file = dirs.directory().resolve("registry.space");
            putInt(file, HeaderDescriptor.REGISTRY_OFFSET, 0x2000_0000); // index bits 0: nobody
            SpaceChecker.Report report = SpaceChecker.check(file);
            assertFalse(report.isValid(), "the checker must see the corrupt id: " + report);
            assertTrue(report.problems().get(0).contains("registry mutex"), report.toString());
            space.lock("new-one").acquire(Duration.ofSeconds(5)).close();
            space.lock("existing").acquire(Duration.ofSeconds(1)).close();
            assertTrue(SpaceChecker.check(file).isValid(), "taken over and released");
        }
    }

    /**
     * A registry word that names a live participant that never lets go (here: corruption copies
     * the id of this test thread, which holds a lock) must not wedge creators for ever: they fail
     * after 5 s saying who holds it, and existing objects keep working.
     */
    @Test
    void shouldNotHangCreatorsOnARegistryWordHeldForEver() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "registry")) {
            Path file = dirs.directory().resolve("registry.space");
            try (Held mine = space.lock("existing").acquire()) {
                int myId = getInt(file, lockWordOffset(file, "existing"));
                putInt(file, HeaderDescriptor.REGISTRY_OFFSET, myId);
                long start = System.nanoTime();
                CompletableFuture<Throwable> creator = CompletableFuture.supplyAsync(() -> {
                    try {
                        space.lock("new-one");
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Throwable e = creator.get(60, TimeUnit.SECONDS);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertTrue(e instanceof FutexRaException, String.valueOf(e));
                assertTrue(seconds >= 4 && seconds < 30, seconds + " s");
                assertTrue(e.getMessage().contains("held by participant") && e.getMessage().contains("pid "
                        + ProcessHandle.current().pid()) && e.getMessage().contains("corrupted"), e.getMessage());
                putInt(file, HeaderDescriptor.REGISTRY_OFFSET, 0);
            }
            space.lock("existing").acquire(Duration.ofSeconds(1)).close();
        }
    }

    /**
     * Numbers read from the file that size a scan or choose a behaviour (permit count, kind, lock
     * policy, event mode) are checked before use: a bad one is a {@link SpaceFormatException}
     * naming the space, the object and the value, never an index error; the listing still works.
     */
    @Test
    void shouldRefuseCorruptKindFieldsNamingTheSpaceAndTheObject() throws Exception {
        Path file = dirs.directory().resolve("fields.space");
        try (LockSpace creator = LockSpace.open(dirs.directory(), "fields")) {
            creator.semaphore("s", 4);
            creator.lock("l");
            creator.event("e", EventMode.MANUAL_RESET);
            creator.lock("k");
        }
        int semaphore = slotBase(file, "s");
        for (int permits : new int[] {0, -1, NamedSemaphore.MAX_PERMITS + 1, 1_000_000, Integer.MIN_VALUE}) {
            putInt(file, semaphore + SemaphoreDescriptor.PERMITS_OFFSET, permits);
            assertCorrupt("semaphore 's': its permit count holds " + permits, space -> space.semaphore("s", 4));
        }
        putInt(file, semaphore + SemaphoreDescriptor.PERMITS_OFFSET, 4);
        putInt(file, slotBase(file, "l") + LockDescriptor.POLICY_OFFSET, 77);
        assertCorrupt("lock 'l': its policy/spin fields hold 77/", space -> space.lock("l"));
        putInt(file, slotBase(file, "e") + EventDescriptor.MODE_OFFSET, 9);
        assertCorrupt("event 'e': its mode field holds 9", space -> space.event("e", EventMode.MANUAL_RESET));
        putInt(file, slotBase(file, "k") + SlotDescriptor.KIND_OFFSET, 99);
        assertCorrupt("object 'k': its kind field holds 99", space -> space.lock("k"));
        try (LockSpace space = LockSpace.open(dirs.directory(), "fields")) {
            space.semaphore("s", 4).acquire(Duration.ofSeconds(5)).close(); // repaired: works again
        }
    }

    /**
     * Counts and ids read from a slot: negative sleeper and watcher counts, a name length out of
     * range, hold records naming a participant outside the table or of another generation. The
     * listing clamps or names the slot; a record owned by no live participant is a dead holder's.
     */
    @Test
    void shouldTreatCorruptCountsAndRecordIdsAsTheSpacesOwnCorruption() throws Exception {
        Path file = dirs.directory().resolve("records.space");
        try (LockSpace space = LockSpace.open(dirs.directory(), "records")) {
            NamedSemaphore sem = space.semaphore("two", 2);
            space.lock("named");
            int s = slotBase(file, "two");
            putInt(file, s + HoldRecordDescriptor.recordOffset(0), 1 << 12 | 0xfff); // index 4094: beyond the 2048 entries
            putInt(file, s + HoldRecordDescriptor.recordOffset(1), 0x3ffff << 12 | 1); // entry 0, a generation never claimed
            putInt(file, s + SlotDescriptor.SLEEPERS_OFFSET, -5);
            int named = slotBase(file, "named");
            putInt(file, named + LockDescriptor.WATCHERS_OFFSET, Integer.MIN_VALUE);
            putInt(file, named + SlotDescriptor.NAME_LENGTH_OFFSET, 5000);
            assertEquals(2, sem.availablePermits(), "records of no live participant are free");
            try (Held a = sem.acquire(Duration.ofSeconds(5)); Held b = sem.acquire(Duration.ofSeconds(5))) {
                assertTrue(a.previousOwnerDied() && b.previousOwnerDied(), "each taken over from a dead holder");
            }
            ObjectInfo listed = space.objects().stream().filter(o -> o.kind() == ObjectKind.LOCK).findFirst().orElseThrow();
            assertTrue(listed.name().startsWith("<corrupt slot "), listed.name());
            assertEquals(0, listed.watchers());
            assertEquals(0, AwaitState.info(space, "two").waiters());
            assertFalse(SpaceChecker.check(file).isValid(), "the checker names the damage");
        }
    }

    /** A fresh handle of space "fields" must refuse {@code call} saying {@code expected}, and still list. */
    private void assertCorrupt(String expected, java.util.function.Consumer<LockSpace> call) throws IOException {
        try (LockSpace space = LockSpace.open(dirs.directory(), "fields")) {
            SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> call.accept(space));
            assertTrue(e.getMessage().startsWith("space 'fields' is corrupted: " + expected)
                    && e.getMessage().contains("futex-ra --space fields check"), e.getMessage());
            assertEquals(4, space.objects().size(), "the listing still works");
        }
        assertFalse(SpaceChecker.check(dirs.directory().resolve("fields.space")).isValid());
    }

    private static int slotBase(Path file, String name) throws IOException {
        return SpaceBytes.slotBase(file, SpaceOptions.DEFAULT_CAPACITY, name);
    }

    private static int lockWordOffset(Path file, String name) throws IOException {
        return slotBase(file, name) + LockDescriptor.LOCK_WORD_OFFSET;
    }

    private static int getInt(Path file, long offset) throws IOException {
        return SpaceBytes.getInt(file, offset);
    }

    private static void putInt(Path file, long offset, int value) throws IOException {
        SpaceBytes.putInt(file, offset, value);
    }

    @Test
    void shouldReportAValidSpaceAsValidAndCheckWithoutMapping() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "checked");
             Held held = space.lock("held").acquire()) {
            space.readWriteLock("rw").readLock().acquire().close();
            space.semaphore("s", 4).acquire().close();
            space.event("ev", EventMode.AUTO_RESET).signal();
            SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("checked.space"));
            assertTrue(report.isValid(), report.toString());
            assertEquals(4, report.objects());
            assertEquals(1, report.heldWords(), "the lock this thread holds: " + report);
        }
        Path truncated = dirs.directory().resolve("cut.space");
        Files.write(truncated, new byte[100]);
        assertFalse(SpaceChecker.check(truncated).isValid());
    }

    private void assertValid(String space) throws Exception {
        SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve(space + ".space"));
        assertTrue(report.isValid(), report.toString());
        assertEquals(0, report.heldWords(), report.toString());
    }

    private static void assertMessage(String expected, Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e instanceof IllegalArgumentException || e instanceof FutexRaException, e.toString());
        assertTrue(e.getMessage() != null && e.getMessage().contains(expected), "'" + e.getMessage() + "' does not say '"
                + expected + "'");
    }

    private static void assertNpe(String names, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(names), "NPE should name '" + names + "': " + e);
    }
}
