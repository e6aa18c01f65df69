package io.futexra;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ContractChild;
import io.futexra.testing.ExclusionRun;
import io.futexra.testing.LockVariant;
import io.futexra.testing.Scratch;
import io.futexra.testing.SpaceOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock contract's exclusion check can fail: run, with the contract's own parameters, against
 * {@link CasLessSpace} (a lock that checks and then sets its word without a compare-and-set), it
 * must see two holders at once or lost increments. If this test fails, the contract's exclusion
 * check passes locks that do not exclude.
 */
@Timeout(180)
class CasLessLockTest {

    @RegisterExtension
    final Scratch scratch = new Scratch();

    @Test
    void shouldFailTheContractsExclusionCheckOnALockWithoutItsCompareAndSet() throws Exception {
        String dir = scratch.spaces().directory().toString();
        try (LockSpace space = CasLessSpace.open(scratch.spaces().directory(), "casless")) {
            ExclusionRun run = LockContract.exclusion(args -> ChildJvm.startClass(ContractChild.class, args),
                    SpaceOpener.args(CasLessSpace.Opener.class, dir, "casless"), LockVariant.GREEDY.name(),
                    scratch.spaces().file("casless.counter"));
            System.out.println("the CAS-less lock under the exclusion check: " + run);
            assertFalse(run.excluded(), "the exclusion check passed a lock without its compare-and-set: " + run);
        }
    }
}
