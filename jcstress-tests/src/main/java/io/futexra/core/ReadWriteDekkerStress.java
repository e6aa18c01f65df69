package io.futexra.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The Dekker step between the readers and the writer of a read/write lock ({@link ReaderSet}):
 * a reader ({@link ReaderSet#tryEnter}: claim a record, set its bit, then read the writer word)
 * races a writer ({@link RobustMutex#tryLock} on the writer word, then {@link ReaderSet#anyInside}).
 * The actors act as two live participants ({@link Slots#PARTICIPANTS}); each state is a fresh slot.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the reader is in; the writer saw it and stays out")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the writer is in; the reader saw it and backed out")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "each saw the other (both fences early): both stay out")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "reader and writer both in")
@State
public class ReadWriteDekkerStress {

    private final SharedMemory slot = Slots.fresh();
    private final RobustMutex writer = new RobustMutex(slot, Slots.SPACE.kernel(), Slots.SPACE.participants(), 0);
    private final ReaderSet readers = new ReaderSet(slot, new HoldRecords(slot, Slots.SPACE.kernel(),
            Slots.SPACE.participants(), 0, ReadWriteLockDescriptor.READERS), writer, 0);

    @Actor
    public void reader(II_Result r) {
        ThreadContext me = Slots.PARTICIPANTS[0];
        r.r1 = readers.tryEnter(me, me.id) >= 0 ? 1 : 0;
    }

    @Actor
    public void writer(II_Result r) {
        ThreadContext me = Slots.PARTICIPANTS[1];
        r.r2 = writer.tryLock(me) >= 0 && !readers.anyInside(me.id) ? 1 : 0;
    }
}
