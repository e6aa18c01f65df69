package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.SpaceChecker;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.SharedCounter;
import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Reader/writer locks across processes: shared reads, exclusive writes, writer preference, robust holds. */
@Timeout(180)
class ReadWriteLockTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final ExecutorService pool = scratch.pool();

    @Test
    void shouldLetReadersOverlapAndKeepWritersExclusiveAcrossProcesses() throws Exception {
        Path counterFile = dirs.file("counter");
        SharedCounter counter = SharedCounter.open(counterFile);
        int processes = 3;
        int threads = 3;
        int iterations = 2_000;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                children.add(ChildJvm.start("rwhammer", dirs.directory().toString(), "rw", "catalog",
                        counterFile.toString(), Integer.toString(threads), Integer.toString(iterations)));
            }
            for (ChildJvm c : children) {
                c.awaitLine("DONE", Duration.ofSeconds(150));
                assertEquals(0, c.awaitExit(Duration.ofSeconds(30)), c.transcript());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(0, counter.overlaps(), "a writer overlapped another writer or a reader");
        assertEquals((long) processes * threads * iterations / 4, counter.count(), "lost writes");
        assertTrue(counter.maxConcurrent() > 1, "readers never overlapped: " + counter.maxConcurrent());
        try (LockSpace space = LockSpace.open(dirs.directory(), "rw")) {
            // every pass read or wrote once: reads are counted in the slot, writes by the token
            assertEquals((long) processes * threads * iterations, AwaitState.info(space, "catalog").acquisitions(),
                    "every read and write of three processes' threads counted once");
        }
        SpaceChecker.Report report = SpaceChecker.check(dirs.directory().resolve("rw.space"));
        assertTrue(report.isValid(), report.toString());
    }

    @Test
    void shouldLetAWriterInPastASteadyStreamOfReaders() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "stream")) {
            NamedReadWriteLock rw = space.readWriteLock("hot");
            AtomicBoolean stop = new AtomicBoolean();
            for (int r = 0; r < 4; r++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        try (Held h = rw.readLock().acquire()) {
                            Thread.sleep(5); // readers overlap: there is always one inside
                        }
                    }
                    return null;
                });
            }
            AwaitState.until("a reader is inside", () -> readers(space) > 0);
            // readers always overlap: without writer preference this acquisition starves until the hang guard
            try (Held w = rw.writeLock().acquire(AwaitState.HANG_GUARD)) {
                assertEquals(0, readers(space), "a reader is inside with the writer");
            } finally {
                stop.set(true);
            }
        }
    }

    @Test
    void shouldRefuseAnUpgradeAndAllowADowngrade() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "grade")) {
            NamedReadWriteLock rw = space.readWriteLock("doc");
            try (Held r = rw.readLock().acquire()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> rw.writeLock().acquire());
                assertTrue(e.getMessage().contains("upgrade"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> rw.writeLock().tryAcquire());
            }
            Held w = rw.writeLock().acquire();
            Held r = rw.readLock().acquire(); // downgrade: read while writing
            w.close();
            assertTrue(rw.readLock().isHeldByCurrentThread());
            assertFalse(rw.writeLock().isHeldByCurrentThread());
            assertTrue(pool.submit(() -> held(rw.readLock().tryAcquire())).get(10, TimeUnit.SECONDS),
                    "another reader gets in after the downgrade");
            assertFalse(pool.submit(() -> held(rw.writeLock().tryAcquire())).get(10, TimeUnit.SECONDS),
                    "a writer does not while we read");
            r.close();
            assertTrue(pool.submit(() -> held(rw.writeLock().tryAcquire())).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldBeReentrantOnTheReadSideAndRefuseReleaseElsewhere() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "reent")) {
            NamedReadWriteLock rw = space.readWriteLock("doc");
            Held a = rw.readLock().acquire();
            Held b = rw.readLock().acquire();
            assertEquals(1, readers(space), "one record per thread");
            Throwable t = pool.submit(() -> {
                try {
                    b.close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalMonitorStateException, "got " + t);
            b.close();
            assertFalse(pool.submit(() -> held(rw.writeLock().tryAcquire())).get(10, TimeUnit.SECONDS));
            a.close();
            assertTrue(pool.submit(() -> held(rw.writeLock().tryAcquire())).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReleaseExactlyTheReadHoldOfAKilledReader() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "deadreader");
             ChildJvm reader = ChildJvm.start("holdread", dirs.directory().toString(), "deadreader", "doc")) {
            reader.awaitLine("HELD", Duration.ofSeconds(30));
            NamedReadWriteLock rw = space.readWriteLock("doc");
            ExecutorService liveReader = Executors.newSingleThreadExecutor();
            Held mine = liveReader.submit(() -> rw.readLock().acquire()).get(10, TimeUnit.SECONDS);
            assertEquals(2, readers(space));
            assertTrue(rw.writeLock().tryAcquire().isEmpty());
            var writer = pool.submit(() -> {
                try (Held w = rw.writeLock().acquire(Duration.ofSeconds(20))) {
                    return readers(space);
                }
            });
            AwaitState.waiters(space, "doc", 1); // the writer sleeps behind both readers
            reader.kill9();
            AwaitState.until("the dead reader's hold is released", () -> readers(space) < 2);
            assertEquals(1, readers(space), "only the dead reader's hold was released");
            assertFalse(writer.isDone(), "the live reader still holds its read lock");
            liveReader.submit(mine::close).get(10, TimeUnit.SECONDS);
            liveReader.shutdown();
            assertEquals(0, writer.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReleaseTheWriteHoldOfAKilledWriterToWaitingReaders() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "deadwriter");
             ChildJvm writer = ChildJvm.start("holdwrite", dirs.directory().toString(), "deadwriter", "doc")) {
            writer.awaitLine("HELD", Duration.ofSeconds(30));
            NamedReadWriteLock rw = space.readWriteLock("doc");
            List<java.util.concurrent.Future<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(pool.submit(() -> {
                    try (Held r = rw.readLock().acquire(Duration.ofSeconds(60))) {
                        return r.previousOwnerDied();
                    }
                }));
            }
            AwaitState.waiters(space, "doc", 3); // three readers asleep behind the writer
            writer.kill9();
            for (var w : waiting) {
                assertTrue(w.get(60, TimeUnit.SECONDS), "a reader after a dead writer is told");
            }
            try (Held w = rw.writeLock().acquire(Duration.ofSeconds(60))) {
                assertTrue(w.previousOwnerDied(), "the next writer is told too, and takes over");
            }
            try (Held r = rw.readLock().acquire()) {
                assertFalse(r.previousOwnerDied(), "a writer has taken over since");
            }
        }
    }

    private static boolean held(Optional<Held> h) {
        h.ifPresent(Held::close);
        return h.isPresent();
    }

    private static ObjectInfo info(LockSpace space) {
        return space.objects().get(0);
    }

    private static int readers(LockSpace space) {
        return info(space).readers();
    }
}
