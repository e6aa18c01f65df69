package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kill -9 of a holder JVM: the kernel's robust list hands the lock on, flagged as abandoned. */
@Timeout(120)
class OwnerDeathTest {

    @Test
    void shouldHandTheLockToAWaiterAsleepInThisJvmWhenTheHolderIsKilled() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "death");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "death", "nightly")) {
            String held = holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedLock lock = space.lock("nightly");
            ObjectInfo before = info(space, "nightly");
            assertEquals(holder.pid(), before.holderPid());

            boolean[] acquired = new boolean[1];
            boolean[] died = new boolean[1];
            long[] token = new long[1];
            Thread waiter = new Thread(() -> {
                try (Held h = lock.acquire(AwaitState.HANG_GUARD)) {
                    acquired[0] = true;
                    died[0] = h.previousOwnerDied();
                    token[0] = h.fencingToken();
                }
            }, "waiter");
            waiter.start();
            AwaitState.waiters(space, "nightly", 1); // asleep: only the kernel's robust-futex wake lets it in

            holder.kill9();
            waiter.join(AwaitState.HANG_GUARD.toMillis());
            assertFalse(waiter.isAlive());
            assertTrue(acquired[0], "the waiter never acquired");
            assertTrue(died[0], "the waiter must be told the previous owner died");
            assertEquals(Long.parseLong(ChildMain.field(held, "tokens")) + 1, token[0]);
            assertEquals(1, info(space, "nightly").ownerDiedCount());
        }
    }

    @Test
    void shouldHandTheLockToAWaiterInAnotherJvm() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "death3");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "death3", "shared")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            try (ChildJvm waiter = ChildJvm.start("await", dirs.directory().toString(), "death3", "shared")) {
                waiter.awaitLine("WAITING", Duration.ofSeconds(30));
                AwaitState.waiters(space, "shared", 1);
                holder.kill9();
                String acquired = waiter.awaitLine("ACQUIRED", AwaitState.HANG_GUARD);
                assertEquals("true", ChildMain.field(acquired, "died"), acquired);
                assertEquals(0, waiter.awaitExit(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void shouldTellTheNextAcquirerWhenNobodyWaitedAtTheTimeOfDeath() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "death2");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "death2", "first", "second")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            assertTrue(space.lock("first").tryAcquire().isEmpty());
            holder.kill9();
            for (String name : new String[] {"first", "second"}) {
                Optional<Held> h = awaitTryAcquire(space.lock(name));
                assertTrue(h.isPresent(), name + " was not released after the holder's death");
                assertTrue(h.get().previousOwnerDied(), name);
                h.get().close();
            }
            try (Held again = space.lock("first").acquire()) {
                assertFalse(again.previousOwnerDied());
            }
        }
    }

    @Test
    void shouldShowAnAbandonedLockUntilSomeoneAcquiresIt() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "abandon");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "abandon", "left")) {
            holder.awaitLine("HELD", Duration.ofSeconds(30));
            assertTrue(info(space, "left").isHeld());
            holder.kill9();
            AwaitState.until("'left' shows as abandoned", () -> info(space, "left").abandoned());
            ObjectInfo info = info(space, "left");
            assertTrue(info.abandoned(), info.toString());
            assertFalse(info.isHeld());
        }
    }

    /** tryAcquire until it succeeds (the kernel releases a dead holder's locks as its threads exit). */
    private static Optional<Held> awaitTryAcquire(NamedLock lock) throws InterruptedException {
        AtomicReference<Optional<Held>> got = new AtomicReference<>(Optional.empty());
        AwaitState.until(lock.name() + " is released by the dead holder", () -> {
            got.set(lock.tryAcquire());
            return got.get().isPresent();
        });
        return got.get();
    }

    private static ObjectInfo info(LockSpace space, String name) {
        return AwaitState.info(space, name);
    }
}
