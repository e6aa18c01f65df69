package io.futexra.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claiming and releasing hold records ({@link HoldRecords}) on a table of one record, so that
 * every claimer contends for the same word. The actors act as two live participants
 * ({@link Slots#PARTICIPANTS}).
 */
public final class HoldRecordStress {

    private HoldRecordStress() {
    }

    static HoldRecords oneRecord() {
        return new HoldRecords(Slots.fresh(), Slots.SPACE.kernel(), Slots.SPACE.participants(), 0, 1);
    }

    static int claimed(HoldRecords records, int participant) {
        return records.claim(Slots.PARTICIPANTS[participant]) != HoldRecords.NONE_FREE ? 1 : 0;
    }

    /** Two threads claim the one free record: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "one claimer got the record")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the record claimed twice")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "a free record refused both")
    @State
    public static class TwoClaimers {

        private final HoldRecords records = oneRecord();

        @Actor
        public void claimer1(II_Result r) {
            r.r1 = claimed(records, 0);
        }

        @Actor
        public void claimer2(II_Result r) {
            r.r2 = claimed(records, 1);
        }
    }

    /**
     * The record's holder (the process's keeper participant, always alive) releases it while
     * another thread claims: the claim succeeds only after the release, and the table then shows
     * exactly the claims that succeeded.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "claimed after the release; held by the claimer")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the claim came first and failed; released, free")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a successful claim that the table does not show (lost)")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a released record still held (lost release)")
    @Outcome(expect = FORBIDDEN, desc = "a record held more than once")
    @State
    public static class ReleaseRacesClaim {

        private final HoldRecords records = oneRecord();

        public ReleaseRacesClaim() {
            records.claim(Slots.SPACE.keeperContext());
        }

        @Actor
        public void releaser() {
            records.release(0);
        }

        @Actor
        public void claimer(II_Result r) {
            r.r1 = claimed(records, 0);
        }

        @Arbiter
        public void held(II_Result r) {
            r.r2 = records.heldCount();
        }
    }
}
