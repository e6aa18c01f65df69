package io.futexra.testing;

import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * Runs {@code jvms} child JVMs of {@code threads} threads each against lock {@code lock}, each
     * thread for up to {@code iterations} passes or until {@code timeBox} has passed since the
     * start barrier, and waits for them all.
     */
    public static ExclusionRun hammer(ContractChild.Starter starter, List<String> spaceArgs, String lock, String variant,
                                      Path counterFile, int jvms, int threads, long iterations, Duration timeBox)
            throws Exception {
        SharedCounter counter = SharedCounter.open(counterFile);
        long passes = 0;
        for (String done : ContractChild.runEach(starter, jvms, timeBox.plus(AwaitState.HANG_GUARD),
                ContractChild.args("hammer", spaceArgs, lock, variant, counterFile, jvms * threads, threads,
                        iterations, timeBox.toMillis()))) {
            passes += Long.parseLong(ChildMain.field(done, "iterations"));
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
