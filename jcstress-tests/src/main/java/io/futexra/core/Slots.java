package io.futexra.core;

import io.futexra.LockSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Fresh, zero-filled object slots for jcstress states, run by the real core classes.
 *
 * <p>jcstress makes millions of states, so each state cannot map a space of its own. The objects
 * under test take their memory apart from their space: each state gets a new slot of native memory
 * (a direct buffer, aligned as a mapped slot is), while the participants (thread ids and alive
 * words), the kernel and the thread contexts come from one real space, opened once per forked
 * test JVM in a temporary directory and removed when that JVM exits.
 *
 * <p>The word protocols are between participants, not threads: a word holds a participant id.
 * jcstress ends its actor threads between runs, and a participant dies with its thread, so a hold
 * taken by one actor would be reaped by the other as a dead owner's (correctly, but then two
 * successes no longer mean two live holders). The actors therefore act as {@link #PARTICIPANTS}:
 * stand-ins registered by two threads that stay parked, alive, for the whole JVM.
 */
final class Slots {

    private static final Path DIRECTORY = temporaryDirectory();
    private static final String SPACE_NAME = "jcstress";
    static final ShmLockSpace SPACE = (ShmLockSpace) LockSpace.open(DIRECTORY, SPACE_NAME);
    /** Two live participants, one per actor. */
    static final ThreadContext[] PARTICIPANTS = {standIn(0), standIn(1)};

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Slots::removeSpace, "futex-ra jcstress cleanup"));
    }

    private Slots() {
    }

    /** A new zero-filled slot: the state of a never-used lock, event or record table. */
    static SharedMemory fresh() {
        ByteBuffer slot = ByteBuffer.allocateDirect(2 * LockSpaceLayout.SLOT_LENGTH)
                .alignedSlice(LockSpaceLayout.SLOT_LENGTH);
        return new SharedMemory(slot, SPACE.kernel().addressOf(slot));
    }

    private static ThreadContext standIn(int n) {
        StandIn standIn = new StandIn(SPACE);
        Thread thread = new Thread(standIn, "futex-ra jcstress participant " + n);
        thread.setDaemon(true);
        thread.start();
        return standIn.context.join();
    }

    /** A thread that registers as a participant and stays alive; touches no static of {@link Slots} (in init). */
    private static final class StandIn implements Runnable {

        private final ShmLockSpace space;
        private final CompletableFuture<ThreadContext> context = new CompletableFuture<>();

        StandIn(ShmLockSpace space) {
            this.space = space;
        }

        @Override
        public void run() {
            context.complete(space.thread());
            while (true) {
                LockSupport.park(); // alive, so that the participant stays alive
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("futex-ra-jcstress");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the jcstress space", e);
        }
    }

    private static void removeSpace() {
        SPACE.close();
        try {
            Files.deleteIfExists(SPACE.path()); // this process still maps it: remove() would refuse
            Files.deleteIfExists(DIRECTORY);
        } catch (IOException e) {
            System.err.println("could not remove " + DIRECTORY + ": " + e);
        }
    }
}
