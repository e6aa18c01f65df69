package io.futexra.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the cross-JVM exclusion check and what it saw: child JVMs hammer one lock through
 * {@link ContractChild} {@code hammer} (a start barrier, then a time-boxed loop of acquire, overlap
 * check, plain increment, release), and the shared {@link SharedCounter} is compared with the
 * passes the children report. A lock that excludes ends with no overlap and a count equal to the
 * passes; a lock that lets two holders in shows overlaps or lost increments.
 *
 * @param passes critical sections the children completed
 * @param counted the plain counter at the end (lower than {@code passes} if increments were lost)
 * @param overlaps entries that found another holder inside
 */
public record ExclusionRun(long passes, long counted, int overlaps) {

    /** Starts a child JVM running {@link ContractChild} with the given arguments (a contract's {@code startChild}). */
    public interface Starter {
        ChildJvm start(String... args);
    }

    /**
     * Runs {@code jvms} child JVMs of {@code threads} threads each against lock {@code lock}, each
     * thread for up to {@code iterations} passes or until {@code timeBox} has passed since the
     * start barrier, and waits for them all.
     */
    public static ExclusionRun hammer(Starter starter, List<String> spaceArgs, String lock, String variant,
                                      Path counterFile, int jvms, int threads, long iterations, Duration timeBox)
            throws Exception {
        SharedCounter counter = SharedCounter.open(counterFile);
        List<ChildJvm> children = new ArrayList<>();
        long passes = 0;
        try {
            for (int p = 0; p < jvms; p++) {
                children.add(starter.start(ContractChild.args("hammer", spaceArgs, lock, variant, counterFile,
                        jvms * threads, threads, iterations, timeBox.toMillis())));
            }
            for (ChildJvm c : children) {
                passes += Long.parseLong(ChildMain.field(c.awaitLine("DONE", timeBox.plus(AwaitState.HANG_GUARD)),
                        "iterations"));
                if (c.awaitExit(AwaitState.HANG_GUARD) != 0) {
                    throw new AssertionError("a hammering child failed:\n" + c.transcript());
                }
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        return new ExclusionRun(passes, counter.count(), counter.overlaps());
    }

    /** Whether no two holders were ever inside at once and no increment was lost. */
    public boolean excluded() {
        return overlaps == 0 && counted == passes;
    }

    @Override
    public String toString() {
        return passes + " passes, counter " + counted + " (" + (passes - counted) + " increments lost), "
                + overlaps + " overlaps";
    }
}
