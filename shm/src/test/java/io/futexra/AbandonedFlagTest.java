package io.futexra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.Scratch;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * "Every abandoned acquisition is flagged", even when the flag passes through an acquisition that
 * never completes: a writer that takes the word of a dead writer but gives up waiting for readers
 * must not swallow the news that the last writer died.
 */
@Timeout(120)
class AbandonedFlagTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();
    private final TestSpaces dirs = scratch.spaces();
    private final ExecutorService pool = scratch.pool();

    @Test
    void shouldKeepTheDeadWriterFlagWhenAWriterGivesUpWaitingForReaders() throws Exception {
        try (LockSpace space = LockSpace.open(dirs.directory(), "flag");
             ChildJvm writer = ChildJvm.start("holdwrite", dirs.directory().toString(), "flag", "ledger")) {
            writer.awaitLine("HELD", Duration.ofSeconds(30));
            writer.kill9(); // dies mid-write
            NamedReadWriteLock rw = space.readWriteLock("ledger");
            java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            var firstReader = pool.submit(() -> {
                try (Held h = rw.readLock().acquire(Duration.ofSeconds(5))) {
                    reading.countDown();
                    done.await();
                    return h.previousOwnerDied();
                }
            });
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            // writers come and give up: the reader is inside
            assertTrue(rw.writeLock().tryAcquire().isEmpty());
            assertThrows(LockTimeoutException.class, () -> rw.writeLock().acquire(Duration.ofMillis(50)));
            boolean laterReaderTold = pool.submit(() -> {
                try (Held h = rw.readLock().acquire(Duration.ofSeconds(5))) {
                    return h.previousOwnerDied();
                }
            }).get(10, TimeUnit.SECONDS);
            done.countDown();
            assertTrue(firstReader.get(10, TimeUnit.SECONDS), "the first reader must be told the writer died");
            assertTrue(laterReaderTold, "a writer that gave up must not clear the dead writer's flag for readers");
            try (Held w = rw.writeLock().acquire(Duration.ofSeconds(5))) {
                assertTrue(w.previousOwnerDied(), "the next writer to get in must be told the last one died");
            }
            try (Held w = rw.writeLock().acquire(Duration.ofSeconds(5))) {
                assertTrue(!w.previousOwnerDied(), "told once, then the flag is cleared");
            }
        }
    }
}
