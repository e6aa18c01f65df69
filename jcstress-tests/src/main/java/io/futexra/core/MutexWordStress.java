package io.futexra.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The mutex word ({@link RobustMutex}): two threads race {@code tryLock} on a free word. The CAS
 * from {@code UNLOCKED} to the acquirer's id admits exactly one of them. The actors act as two
 * live participants ({@link Slots#PARTICIPANTS}).
 */
@JCStressTest
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one thread holds the word")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "two holders")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "a free word refused both")
@State
public class MutexWordStress {

    private final RobustMutex mutex = new RobustMutex(Slots.fresh(), Slots.SPACE.kernel(),
            Slots.SPACE.participants(), 0);

    @Actor
    public void first(II_Result r) {
        r.r1 = mutex.tryLock(Slots.PARTICIPANTS[0]) >= 0 ? 1 : 0;
    }

    @Actor
    public void second(II_Result r) {
        r.r2 = mutex.tryLock(Slots.PARTICIPANTS[1]) >= 0 ? 1 : 0;
    }
}
