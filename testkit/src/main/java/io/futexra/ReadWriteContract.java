package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.ContractChild;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of the read side of every reader/writer lock, on any backend (see
 * {@link ContractBase}): read holds shared by threads and JVMs, readers and writers excluded
 * across JVMs (an overlap detector both ways, an exact count of writes and of reads, with a start
 * barrier and a time box as in {@link LockContract}), a reader timing out and refused a try while
 * a writer holds, an interrupted reader, read reentrancy even with a writer waiting, release only
 * on the reading thread, and a reader killed with {@code kill -9} releasing exactly its own hold.
 */
public abstract class ReadWriteContract extends ContractBase {

    private static final String RW = "contract-rw";

    private static NamedLock read(LockSpace space) {
        return space.readWriteLock(RW).readLock();
    }

    private static NamedLock write(LockSpace space) {
        return space.readWriteLock(RW).writeLock();
    }

    /** Whether the other thread finds the write side free (it takes it with tryAcquire and releases it). */
    private boolean writableElsewhere(LockSpace space) throws Exception {
        return onOtherThread(() -> {
            Optional<Held> h = write(space).tryAcquire();
            h.ifPresent(Held::close);
            return h.isPresent();
        });
    }

    @Test
    void shouldShareReadHoldsAcrossThreadsAndJvmsAndKeepWritersOut() throws Exception {
        try (LockSpace space = openSpace("share");
             ChildJvm reader = startChild(ContractChild.args("holdread", childSpaceArgs("share"), RW))) {
            reader.awaitLine("HELD", AwaitState.HANG_GUARD);
            try (Held mine = read(space).tryAcquire().orElseThrow(() -> new AssertionError("a read hold is shared across JVMs"))) {
                assertTrue(onOtherThread(() -> read(space).tryAcquire().map(h -> {
                    h.close();
                    return true;
                }).orElse(false)), "and across threads");
                assertFalse(writableElsewhere(space), "no writer while readers hold");
            }
            assertFalse(writableElsewhere(space), "the child still reads");
            reader.kill9();
            try (Held w = write(space).acquire(AwaitState.HANG_GUARD)) {
                assertTrue(onOtherThread(() -> read(space).tryAcquire().isEmpty()), "no reader while a writer holds");
            }
        }
    }

    @Test
    void shouldExcludeWritersAndReadersAcrossJvmsWithExactCounts() throws Exception {
        try (LockSpace space = openSpace("exclusion")) {
            Path counterFile = scratchFile("exclusion.counter");
            SharedCounter counter = SharedCounter.open(counterFile);
            long writes = 0;
            long reads = 0;
            for (String done : ContractChild.runEach(this::startChild, LockContract.JVMS,
                    LockContract.TIME_BOX.plus(AwaitState.HANG_GUARD),
                    ContractChild.args("rwhammer", childSpaceArgs("exclusion"), RW, counterFile,
                            LockContract.JVMS * LockContract.THREADS, LockContract.THREADS, LockContract.ITERATIONS,
                            LockContract.TIME_BOX.toMillis()))) {
                writes += Long.parseLong(ChildMain.field(done, "iterations"));
                reads += Long.parseLong(ChildMain.field(done, "reads"));
            }
            assertEquals(0, counter.overlaps(), "a writer inside with another writer or with readers");
            assertTrue(writes > 0 && reads > 0, writes + " writes, " + reads + " reads");
            assertEquals(writes, counter.count(), "lost writes: exclusion failed");
            assertEquals(reads, counter.tally(), "every read entered exactly once");
            assertTrue(writableElsewhere(space), "every hold released");
        }
    }

    @Test
    void shouldTakeTimeoutsBeyondWhatNanosecondsHold() throws Exception {
        try (LockSpace space = openSpace("beyond-nanos")) {
            read(space).acquire(BEYOND_NANOS).close(); // free: taken at once
            write(space).acquire(BEYOND_NANOS).close();
            Held writer = onOtherThread(() -> write(space).acquire(AwaitState.HANG_GUARD));
            assertTimeoutsBeyondNanos(space, RW, writer, timeout -> read(space).acquire(timeout));
            Held reader = onOtherThread(() -> read(space).acquire(AwaitState.HANG_GUARD));
            assertTimeoutsBeyondNanos(space, RW, reader, timeout -> write(space).acquire(timeout));
        }
    }

    @Test
    void shouldTimeOutAndRefuseATryToReadWhileAWriterHolds() throws Exception {
        try (LockSpace space = openSpace("timeout")) {
            Held writer = onOtherThread(() -> write(space).acquire(AwaitState.HANG_GUARD));
            assertRefusedUntilTheOtherThreadCloses(writer, timeout -> read(space).acquire(timeout),
                    () -> read(space).tryAcquire());
        }
    }

    @Test
    void shouldThrowLockInterruptedExceptionToAnInterruptedReader() throws Exception {
        try (LockSpace space = openSpace("interrupt"); Held writer = write(space).acquire(AwaitState.HANG_GUARD)) {
            assertInterruptible(space, RW, () -> read(space).acquire(AwaitState.HANG_GUARD).close());
        }
    }

    @Test
    void shouldReenterAReadHoldEvenWithAWriterWaiting() throws Exception {
        try (LockSpace space = openSpace("reentry")) {
            Held outer = read(space).acquire(AwaitState.HANG_GUARD);
            CompletableFuture<Long> writerGot = new CompletableFuture<>();
            Thread writer = callerThread(() -> {
                try (Held w = write(space).acquire(AwaitState.HANG_GUARD)) {
                    writerGot.complete(w.fencingToken());
                } catch (RuntimeException | Error e) {
                    writerGot.completeExceptionally(e);
                }
            }, "waiting-writer");
            writer.start();
            awaitWaiters(space, RW, 1);
            try (Held inner = read(space).acquire(Duration.ZERO)) {
                assertFalse(writerGot.isDone(), "the writer waits for the reader");
            }
            assertFalse(writerGot.isDone(), "the outer read hold remains");
            outer.close();
            writerGot.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            writer.join();
        }
    }

    @Test
    void shouldReleaseAReadHoldOnlyOnTheReadingThread() throws Exception {
        try (LockSpace space = openSpace("owner")) {
            Held mine = read(space).acquire(AwaitState.HANG_GUARD);
            Throwable elsewhere = closeOnOtherThread(mine);
            assertTrue(elsewhere instanceof IllegalMonitorStateException, "got " + elsewhere);
            assertFalse(writableElsewhere(space), "still read: nothing released");
            mine.close();
            assertTrue(writableElsewhere(space), "released by its reader");
        }
    }

    @Test
    void shouldReleaseExactlyTheHoldOfAKilledReader() throws Exception {
        try (LockSpace space = openSpace("death");
             ChildJvm reader = startChild(ContractChild.args("holdread", childSpaceArgs("death"), RW))) {
            reader.awaitLine("HELD", AwaitState.HANG_GUARD);
            Held mine = read(space).acquire(AwaitState.HANG_GUARD);
            reader.kill9();
            assertFalse(writableElsewhere(space), "this thread's read hold remains after the other reader died");
            mine.close();
            assertTrue(onOtherThread(() -> {
                try (Held w = write(space).acquire(AwaitState.HANG_GUARD)) {
                    return w.fencingToken() > 0;
                }
            }), "a writer gets in once the living reader left");
        }
    }
}
