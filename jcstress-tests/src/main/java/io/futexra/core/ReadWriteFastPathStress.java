package io.futexra.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The write lock's fast path ({@link WriteSide#takeIfNoReaders}: mask 0, CAS of the writer word,
 * mask 0 again) against a reader ({@link ReaderSet#tryEnter}): the same Dekker step as
 * {@link ReadWriteDekkerStress}, with the fast path's mask reads in place of the writer's scan.
 * A writer that finds a reader announced after its CAS lets the word go again, so "0, 0" is
 * possible; both in never is.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the reader is in; the writer saw it and stays out")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the writer is in; the reader saw it and backed out")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "each saw the other: both stay out")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "reader and writer both in")
@State
public class ReadWriteFastPathStress {

    private final SharedMemory slot = Slots.fresh();
    private final RobustMutex writer = new RobustMutex(slot, Slots.SPACE.kernel(), Slots.SPACE.participants(), 0);
    private final ReaderSet readers = new ReaderSet(slot, new HoldRecords(slot, Slots.SPACE.kernel(),
            Slots.SPACE.participants(), 0, ReadWriteLockDescriptor.READERS), writer, 0);
    private final WriteSide writeSide = new WriteSide(Slots.SPACE, "fast-path", readers);

    @Actor
    public void reader(II_Result r) {
        ThreadContext me = Slots.PARTICIPANTS[0];
        r.r1 = readers.tryEnter(me, me.id) >= 0 ? 1 : 0;
    }

    @Actor
    public void writer(II_Result r) {
        ThreadContext me = Slots.PARTICIPANTS[1];
        r.r2 = writeSide.takeIfNoReaders(me, writer, Integer.MAX_VALUE) ? 1 : 0;
    }
}
