package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A space file removed under its users (as {@code rm}, a tmp cleaner or systemd-logind's
 * {@code RemoveIPC} do) is never a silent second space: a holder in a child JVM is told (its
 * {@code isHeld()} turns false and its {@code onLost} action runs) and its next use fails naming the
 * space and the likely cause; a new opener is refused while the old space is still mapped; once
 * the holder is gone the name gets a fresh space, whose fencing tokens are above every token of
 * the removed one.
 */
@Timeout(180)
class RemovedSpaceTest {

    private static final Duration GUARD = Duration.ofSeconds(60);

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    /**
     * Child program: {@code DIR SPACE LOCK} opens SPACE, acquires LOCK, asks to be told of its
     * loss, prints {@code HELD token=T}; when told, prints {@code LOST isHeld=B}, then tries to
     * use the space again and prints {@code NEXT USE <message>}; then waits to be killed.
     */
    public static final class Holder {
        public static void main(String[] args) {
            ChildMain.exitAfter(() -> {
                LockSpace space = LockSpace.open(Path.of(args[0]), args[1]);
                Held held = space.lock(args[2]).acquire();
                java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
                held.onLost(lost::countDown);
                System.out.println("HELD token=" + held.fencingToken());
                System.out.flush();
                lost.await();
                System.out.println("LOST isHeld=" + held.isHeld());
                try {
                    space.lock("another").acquire().close();
                    System.out.println("NEXT USE worked");
                } catch (FutexRaException e) {
                    System.out.println("NEXT USE " + e.getMessage());
                }
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            });
        }
    }

    @Test
    void shouldTellTheHolderRefuseASecondSpaceAndNeverHandOutASmallerToken() throws Exception {
        Path dir = dirs.directory();
        long before;
        try (ChildJvm holder = ChildJvm.startClass(Holder.class, dir.toString(), "jobs", "x")) {
            before = Long.parseLong(ChildMain.field(holder.awaitLine("HELD", GUARD), "token"));
            Files.delete(dir.resolve("jobs.space")); // rm, as a cleaner or RemoveIPC would

            SpaceInUseException refused = assertThrows(SpaceInUseException.class, () -> LockSpace.open(dir, "jobs"));
            assertTrue(refused.getMessage().contains("was removed while processes still use it")
                    && refused.getMessage().contains("RemoveIPC"), refused.getMessage());
            assertTrue(!Files.exists(dir.resolve("jobs.space")), "no second space was created");

            assertEquals("LOST isHeld=false", holder.awaitLine("LOST", GUARD), "the holder is told, and isHeld is false");
            String next = holder.awaitLine("NEXT USE", GUARD);
            assertTrue(next.contains("space 'jobs'") && next.contains("was removed") && next.contains("RemoveIPC"), next);
            holder.kill9();
        }
        // the old space's last mapper is gone: the name may be given a fresh space now
        try (LockSpace fresh = LockSpace.open(dir, "jobs"); Held h = fresh.lock("x").acquire()) {
            assertTrue(h.fencingToken() > before, "tokens never go backwards for a name: " + h.fencingToken()
                    + " after " + before);
        }
    }

    @Test
    void shouldRunAnOnLostActionAtOnceOnALostSpaceAndNeverAfterClose() throws Exception {
        Path dir = dirs.directory();
        try (LockSpace space = LockSpace.open(dir, "mine")) {
            Held closedFirst = space.lock("a").acquire();
            boolean[] ran = new boolean[2];
            closedFirst.onLost(() -> ran[0] = true);
            closedFirst.close();
            Held kept = space.lock("b").acquire();
            Files.delete(dir.resolve("mine.space"));
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (kept.isHeld() && System.nanoTime() - deadline < 0) {
                Thread.sleep(50); // the clock thread's check, once a second
            }
            assertTrue(!kept.isHeld(), "a hold in a removed space is lost");
            kept.onLost(() -> ran[1] = true);
            assertTrue(ran[1], "asked after the loss: runs at once");
            assertTrue(!ran[0], "closed before the loss: never runs");
            FutexRaException next = assertThrows(FutexRaException.class, () -> space.event("e", EventMode.AUTO_RESET));
            assertTrue(next.getMessage().contains("space 'mine'") && next.getMessage().contains("was removed"),
                    next.getMessage());
            kept.close(); // closing a lost hold is harmless
        }
    }
}
