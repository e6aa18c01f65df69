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
 * The chaos test's shared score board, one small file mapped by the test and every child JVM, so
 * that nothing a killed child counted is lost with it.
 *
 * <ul>
 * <li><b>Tallies</b>: iterations, recoveries, violations, ... (atomic).</li>
 * <li><b>Overlap detectors</b> that survive kill -9. An exclusive section records its holder's
 *     child index ({@code getAndSet}: finding another live child there is an overlap) and keeps a
 *     plain counter; a shared section keeps one atomic total of holders (exact: a sum of per-child
 *     cells read one by one is no snapshot and over-counts when one holder leaves as another
 *     enters) and per-child cells, so that a killed child's share can be taken off the total. A
 *     child about to be killed is marked <em>doomed</em> first: while any child is doomed, shared
 *     totals are not judged; after the kernel has reaped it the test takes its share off the totals,
 *     clears its traces and counts it again.</li>
 * <li><b>Dirty flags</b>, one per exclusive section: set on entry, cleared on exit. A holder killed
 *     inside leaves it set, and the next holder must be told {@code previousOwnerDied()}.</li>
 * </ul>
 */
public final class ChaosBoard {

    /** The tallies, each a long. */
    public enum Tally {
        ITERATIONS, RECOVERIES, DIRTY_RECOVERED, VIOLATIONS, TIMEOUTS, MAX_OVERSHOOT_MILLIS, SIGNALS_SENT,
        SIGNALS_PASSED, MAX_PERMITS_IN_USE, MAX_READERS
    }

    /** The exclusive sections. */
    public enum Section { LOCK, FAIR, WRITE }

    /** The shared sections. */
    public enum Shared { READ, PERMIT }

    public static final int MAX_CHILDREN = 16;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int TALLIES = 0;
    private static final int DIRTY = TALLIES + 8 * 16;
    private static final int INSIDE = DIRTY + 8 * 4;
    private static final int PLAIN = INSIDE + 8 * 4;
    private static final int DONE = PLAIN + 8 * 4;
    private static final int CELLS = DONE + 8 * 4;
    private static final int DOOMED = CELLS + 8 * 2 * MAX_CHILDREN;
    private static final int TOTALS = DOOMED + 8 * MAX_CHILDREN;
    private static final int LENGTH = TOTALS + 8 * 2;

    private final MappedByteBuffer buffer;

    private ChaosBoard(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    public static ChaosBoard open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new ChaosBoard(ch.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH));
        }
    }

    public long add(Tally tally, long delta) {
        return (long) LONGS.getAndAdd(buffer, TALLIES + tally.ordinal() * 8, delta) + delta;
    }

    public long get(Tally tally) {
        return (long) LONGS.getVolatile(buffer, TALLIES + tally.ordinal() * 8);
    }

    /** Raises {@code tally} to {@code value} if it is lower. */
    public void max(Tally tally, long value) {
        int at = TALLIES + tally.ordinal() * 8;
        long seen;
        while (value > (seen = (long) LONGS.getVolatile(buffer, at)) && !LONGS.compareAndSet(buffer, at, seen, value)) {
            Thread.onSpinWait();
        }
    }

    /** Marks the section dirty; returns whether it already was (a holder died inside it). */
    public boolean enterDirty(Section section) {
        return (long) LONGS.getAndSet(buffer, DIRTY + section.ordinal() * 8, 1L) != 0;
    }

    public void leaveClean(Section section) {
        LONGS.setVolatile(buffer, DIRTY + section.ordinal() * 8, 0L);
    }

    public boolean isDirty(Section section) {
        return (long) LONGS.getVolatile(buffer, DIRTY + section.ordinal() * 8) != 0;
    }

    /**
     * Child {@code child} enters the exclusive section; returns a description of the overlap if a
     * live child is inside it, or inside the shared section {@code excludes} (null: none), else null.
     */
    public String enterExclusive(Section section, int child, Shared excludes) {
        long previous = (long) LONGS.getAndSet(buffer, INSIDE + section.ordinal() * 8, (long) child + 1);
        if (previous != 0 && !isDoomed((int) previous - 1)) {
            return "child " + previous + " was inside " + section + " when child " + (child + 1) + " entered";
        }
        long inside;
        if (excludes != null && (inside = total(excludes)) > 0 && !anyDoomed()) {
            return inside + " holders of " + excludes + " inside " + section + " with child " + (child + 1);
        }
        return null;
    }

    public void leaveExclusive(Section section, int child) {
        LONGS.compareAndSet(buffer, INSIDE + section.ordinal() * 8, (long) child + 1, 0L);
    }

    /** The section's plain (non-atomic) counter: lost increments reveal two holders at once. */
    public void incrementPlain(Section section) {
        int at = PLAIN + section.ordinal() * 8;
        LONGS.set(buffer, at, (long) LONGS.get(buffer, at) + 1);
    }

    public long plain(Section section) {
        return (long) LONGS.getVolatile(buffer, PLAIN + section.ordinal() * 8);
    }

    /** Atomic count of completed plain increments (a kill between the two leaves plain one ahead). */
    public void done(Section section) {
        LONGS.getAndAdd(buffer, DONE + section.ordinal() * 8, 1L);
    }

    public long doneCount(Section section) {
        return (long) LONGS.getVolatile(buffer, DONE + section.ordinal() * 8);
    }

    /**
     * Child {@code child} enters a shared section; returns the holders inside now, or 0 while a
     * kill is in progress (a doomed child's holds are still in the total then). Cell first, total
     * second (and the reverse on leaving): a child killed in between leaves the total low, never
     * high, so a kill cannot fake a violation.
     */
    public int enterShared(Shared shared, int child) {
        LONGS.getAndAdd(buffer, cell(shared, child), 1L);
        long now = (long) LONGS.getAndAdd(buffer, total(shared.ordinal()), 1L) + 1;
        return anyDoomed() ? 0 : (int) now;
    }

    public void leaveShared(Shared shared, int child) {
        LONGS.getAndAdd(buffer, total(shared.ordinal()), -1L);
        LONGS.getAndAdd(buffer, cell(shared, child), -1L);
    }

    /** Holders inside a shared section now (exact while no child is doomed). */
    public long total(Shared shared) {
        return (long) LONGS.getVolatile(buffer, total(shared.ordinal()));
    }

    private boolean anyDoomed() {
        for (int c = 0; c < MAX_CHILDREN; c++) {
            if (isDoomed(c)) {
                return true;
            }
        }
        return false;
    }

    private static int total(int sharedOrdinal) {
        return TOTALS + sharedOrdinal * 8;
    }

    /** Whether child {@code child} is inside the exclusive section (for the doomed child's clean-up). */
    public long insideHolder(Section section) {
        return (long) LONGS.getVolatile(buffer, INSIDE + section.ordinal() * 8);
    }

    /** Before killing {@code child}: what it leaves in the detectors no longer counts. */
    public void doom(int child) {
        LONGS.setVolatile(buffer, DOOMED + child * 8, 1L);
    }

    /** After the kernel has reaped {@code child}: clear its traces, then count it again. */
    public void clearDoomed(int child) {
        for (Shared shared : Shared.values()) {
            long left = (long) LONGS.getAndSet(buffer, cell(shared, child), 0L);
            LONGS.getAndAdd(buffer, total(shared.ordinal()), -left); // its holds died with it
        }
        for (Section section : Section.values()) {
            leaveExclusive(section, child);
        }
        LONGS.setVolatile(buffer, DOOMED + child * 8, 0L);
    }

    public boolean isDoomed(int child) {
        return child >= 0 && child < MAX_CHILDREN && (long) LONGS.getVolatile(buffer, DOOMED + child * 8) != 0;
    }

    private static int cell(Shared shared, int child) {
        return CELLS + (shared.ordinal() * MAX_CHILDREN + child) * 8;
    }
}
