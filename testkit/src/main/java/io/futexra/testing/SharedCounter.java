package io.futexra.testing;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A plain (non-atomic) counter and an overlap detector in a small shared file, mapped by every
 * process of a mutual-exclusion test.
 *
 * <p>The detector is a flag set with CAS on entry to the critical section and cleared on exit: a
 * failed CAS means two holders at once, and is counted. The counter is read and written with
 * plain loads and stores, so any lapse of mutual exclusion loses increments.
 */
public final class SharedCounter {

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int COUNTER = 0;
    private static final int INSIDE = 8;
    private static final int OVERLAPS = 12;
    private static final int MAX_CONCURRENT = 16;
    private static final int CONCURRENT = 20;
    private static final int TALLY = 24;
    private static final int ARRIVED = 32;
    private static final int PAIRING = 36;
    private static final int RENDEZVOUS_SPINS = 2_000;

    private final MappedByteBuffer buffer;

    private SharedCounter(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    public static SharedCounter open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new SharedCounter(ch.map(FileChannel.MapMode.READ_WRITE, 0, 64));
        }
    }

    /** On entry to an exclusive section; counts an overlap if another holder, exclusive or shared, is inside. */
    public void enterExclusive() {
        if (!INTS.compareAndSet(buffer, INSIDE, 0, 1)) {
            INTS.getAndAdd(buffer, OVERLAPS, 1);
        }
        if ((int) INTS.getVolatile(buffer, CONCURRENT) != 0) {
            INTS.getAndAdd(buffer, OVERLAPS, 1);
        }
    }

    public void exitExclusive() {
        INTS.setVolatile(buffer, INSIDE, 0);
    }

    /** A deliberately non-atomic increment. */
    public long incrementPlain() {
        long v = (long) LONGS.get(buffer, COUNTER);
        LONGS.set(buffer, COUNTER, v + 1);
        return v;
    }

    public long count() {
        return (long) LONGS.getVolatile(buffer, COUNTER);
    }

    public int overlaps() {
        return (int) INTS.getVolatile(buffer, OVERLAPS);
    }

    /**
     * On entry to a shared section (semaphores, read locks): tracks the highest concurrency seen,
     * and counts an overlap if an exclusive holder is inside.
     */
    public int enterShared() {
        int now = (int) INTS.getAndAdd(buffer, CONCURRENT, 1) + 1;
        if ((int) INTS.getVolatile(buffer, INSIDE) != 0) {
            INTS.getAndAdd(buffer, OVERLAPS, 1);
        }
        int max;
        while (now > (max = (int) INTS.getVolatile(buffer, MAX_CONCURRENT))
                && !INTS.compareAndSet(buffer, MAX_CONCURRENT, max, now)) {
            Thread.onSpinWait();
        }
        return now;
    }

    public void exitShared() {
        INTS.getAndAdd(buffer, CONCURRENT, -1);
    }

    /** An atomic count, for tallies such as events consumed. */
    public long addAtomic(long delta) {
        return (long) LONGS.getAndAdd(buffer, TALLY, delta) + delta;
    }

    public long tally() {
        return (long) LONGS.getVolatile(buffer, TALLY);
    }

    /**
     * A start barrier across processes: counts this party in, then waits (yielding) until
     * {@code parties} have arrived, so that contenders really start together instead of one
     * finishing before the next has started its JVM.
     */
    public void arriveAndAwait(int parties) throws InterruptedException {
        INTS.getAndAdd(buffer, ARRIVED, 1);
        AwaitState.until(parties + " parties at the start barrier", () -> (int) INTS.getVolatile(buffer, ARRIVED) >= parties);
    }

    /**
     * Pairs this party with the next one to arrive (tickets 0 and 1, 2 and 3, ...) and spins until
     * its partner is there too, but at most {@value #RENDEZVOUS_SPINS} times: when both run, they
     * leave together and reach the lock at the same moment; when the partner is off the CPU (a
     * loaded machine), the wait is short and nothing hangs.
     */
    public void rendezvous() {
        int bothArrived = ((int) INTS.getAndAdd(buffer, PAIRING, 1) | 1) + 1;
        for (int spins = 0; spins < RENDEZVOUS_SPINS && (int) INTS.getVolatile(buffer, PAIRING) < bothArrived; spins++) {
            Thread.onSpinWait();
        }
    }

    public int maxConcurrent() {
        return (int) INTS.getVolatile(buffer, MAX_CONCURRENT);
    }
}
