package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.LockDescriptor;
import io.futexra.testing.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A co-writer of a space overwrites the word of a lock someone holds: the holder is told, as for
 * every other loss — {@code isHeld()} false and its {@code onLost} action run, within about a
 * second (the process's clock thread re-reads the words of holds that asked to be told) — and an
 * action registered after the overwrite runs at once. A holder that releases normally is never
 * told, however its release races with that re-reading.
 */
@Timeout(120)
class OverwrittenWordTest {

    private static final long TOLD_WITHIN_SECONDS = 30; // a hang guard; the clock ticks once a second

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldTellTheHolderOfALockAndOfAWriteLockWhoseWordsACoWriterOverwrote() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "overwritten")) {
            Path file = dirs.directory().resolve("overwritten.space");
            Held lock = space.lock("l").acquire();
            Held write = space.readWriteLock("rw").writeLock().acquire();
            Held process = space.lock("p").acquireForProcess(Duration.ofSeconds(5));
            CountDownLatch told = new CountDownLatch(3);
            lock.onLost(told::countDown);
            write.onLost(told::countDown);
            process.onLost(told::countDown);
            for (String name : new String[] {"l", "rw", "p"}) {
                SpaceBytes.putInt(file, wordOffset(file, name), 0); // "free", as a scribbler would write it
            }
            assertTrue(told.await(TOLD_WITHIN_SECONDS, TimeUnit.SECONDS), "each holder told of its overwritten word");
            assertFalse(lock.isHeld());
            assertFalse(write.isHeld());
            assertFalse(process.isHeld());
            assertFalse(space.objects().stream().filter(o -> o.name().equals("l")).findFirst().orElseThrow()
                    .isHeld(), "the word names nobody");
            try (Held again = space.lock("l").tryAcquire().orElseThrow()) {
                assertTrue(again.isHeld(), "the space itself still works");
            }
            lock.close();
            write.close();
            assertThrows(IllegalMonitorStateException.class, process::close, "a lost process-owned hold releases"
                    + " nothing, and says so (closing it still lets the keeper thread end)");
        }
    }

    @Test
    void shouldRunAnActionRegisteredAfterTheOverwriteAtOnce() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "late")) {
            Path file = dirs.directory().resolve("late.space");
            Held held = space.lock("l").acquire();
            SpaceBytes.putInt(file, wordOffset(file, "l"), 0);
            assertFalse(held.isHeld());
            Thread[] ranOn = new Thread[1];
            held.onLost(() -> ranOn[0] = Thread.currentThread());
            assertEquals(Thread.currentThread(), ranOn[0], "run at once, on the registering thread");
            held.close();
        }
    }

    @Test
    void shouldNeverTellAHolderThatReleasedNormally() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "normal")) {
            NamedLock lock = space.lock("l");
            AtomicInteger falseAlarms = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // three ticks of the clock at least
            long cycles = 0;
            while (System.nanoTime() < end) {
                try (Held held = lock.acquire()) {
                    held.onLost(falseAlarms::incrementAndGet);
                }
                cycles++;
            }
            Thread.sleep(1_500); // one more tick after the last release
            assertTrue(cycles > 1_000, "enough releases to race with the clock: " + cycles);
            assertEquals(0, falseAlarms.get(), "a released hold is never reported lost");
        }
    }

    private static long wordOffset(Path file, String name) throws Exception {
        return SpaceBytes.slotBase(file, SpaceOptions.DEFAULT_CAPACITY, name) + LockDescriptor.LOCK_WORD_OFFSET;
    }
}
