package io.futexra;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ContractChild;
import io.futexra.testing.ExclusionRun;
import io.futexra.testing.LockVariant;
import io.futexra.testing.Scratch;
import io.futexra.testing.SpaceOpener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock contract's exclusion check can fail: run, with the contract's own parameters, against
 * {@link CasLessSpace} (a lock that checks and then sets its word without a compare-and-set), it
 * must see two holders at once or lost increments. If this test fails, the contract's exclusion
 * check passes locks that do not exclude.
 *
 * <p>A lock without its compare-and-set fails only when two contenders run at the same moment, so
 * one run of the check catches it only if the machine gives the hammering threads two CPUs at once
 * for long enough: every run here did when the machine had CPU to spare, and about two runs in
 * three under a load average of about 22 on 2 CPUs. So this test runs the check up to
 * {@value #MAX_RUNS} times and stops at the first run that fails, as it must.
 */
@Timeout(180)
class CasLessLockTest {

    private static final int MAX_RUNS = 5;

    @RegisterExtension
    final Scratch scratch = new Scratch();

    @Test
    void shouldFailTheContractsExclusionCheckOnALockWithoutItsCompareAndSet() throws Exception {
        String dir = scratch.spaces().directory().toString();
        List<ExclusionRun> runs = new ArrayList<>();
        try (LockSpace space = CasLessSpace.open(scratch.spaces().directory(), "casless")) {
            while (runs.size() < MAX_RUNS && (runs.isEmpty() || runs.get(runs.size() - 1).excluded())) {
                ExclusionRun run = LockContract.exclusion(args -> ChildJvm.startClass(ContractChild.class, args),
                        SpaceOpener.args(CasLessSpace.Opener.class, dir, "casless"), LockVariant.GREEDY.name(),
                        scratch.spaces().file("casless-" + runs.size() + ".counter"));
                System.out.println("the CAS-less lock under the exclusion check, run " + (runs.size() + 1) + ": " + run);
                runs.add(run);
            }
        }
        assertFalse(runs.get(runs.size() - 1).excluded(),
                "the exclusion check passed a lock without its compare-and-set " + MAX_RUNS + " times: " + runs);
    }
}
