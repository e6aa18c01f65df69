package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kill -9 of a holder JVM: the kernel's robust list hands the lock on, flagged as abandoned. */
@Timeout(120)
class OwnerDeathTest {

    @Test
    void shouldHandTheLockToAWaiterAsleepInThisJvmWithin1sOfKill9() throws Exception {
        try (TestSpaces dirs = new TestSpaces();
             LockSpace space = LockSpace.open(dirs.directory(), "death");
             ChildJvm holder = ChildJvm.start("hold", dirs.directory().toString(), "death", "nightly")) {
            String held = holder.awaitLine("HELD", Duration.ofSeconds(30));
            NamedLock lock = space.lock("nightly");
            ObjectInfo before = info(space, "nightly");
            assertEquals(holder.pid(), before.holderPid());

            long[] acquiredAt = new long[1];
            boolean[] died = new boolean[1];
            long[] token = new long[1];
            Thread waiter = new Thread(() -> {
                try (Held h = lock.acquire(Duration.ofSeconds(30))) {
                    acquiredAt[0] = System.nanoTime();
                    died[0] = h.previousOwnerDied();
                    token[0] = h.fencingToken();
                }
            }, "waiter");
            waiter.start();
            awaitAsleep(space, "nightly");

            long killedAt = System.nanoTime();
            holder.kill9();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(waiter.isAlive());
            long millis = TimeUnit.NANOSECONDS.toMillis(acquiredAt[0] - killedAt);
            assertTrue(acquiredAt[0] != 0, "the waiter never acquired");
            assertTrue(millis < 1000, "the waiter acquired " + millis + " ms after the kill");
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
                awaitAsleep(space, "shared");
                holder.kill9();
                String acquired = waiter.awaitLine("ACQUIRED", Duration.ofSeconds(5));
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
                assertTrue(h.isPresent(), name + " was not released within 1 s of the holder's death");
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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!info(space, "left").abandoned() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            ObjectInfo info = info(space, "left");
            assertTrue(info.abandoned(), info.toString());
            assertFalse(info.isHeld());
        }
    }

    private static Optional<Held> awaitTryAcquire(NamedLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            Optional<Held> h = lock.tryAcquire();
            if (h.isPresent()) {
                return h;
            }
            Thread.sleep(1);
        }
        return Optional.empty();
    }

    private static ObjectInfo info(LockSpace space, String name) {
        return space.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitAsleep(LockSpace space, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (info(space, name).waiters() < 1) {
            assertTrue(System.nanoTime() < deadline, "the waiter never went to sleep");
            Thread.sleep(2);
        }
    }
}
