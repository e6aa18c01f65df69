package io.futexra.testing;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Waits for a state instead of sleeping and hoping: "N waiters asleep on this object", "N
 * owner-death watchers asleep on this lock", or any condition. The one place tests poll.
 *
 * <p>A wait is for correctness, not speed: it polls every few milliseconds for as long as the
 * state takes, up to a hang guard ({@link #HANG_GUARD}, generous enough for a busy 2-CPU machine)
 * that fails the test with what was awaited and what was seen last. No timing is asserted.
 */
public final class AwaitState {

    /** How long a state may take before the test is failed as hung. */
    public static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 2;

    private AwaitState() {
    }

    /** Until at least {@code n} threads are counted asleep waiting for {@code name} ({@link ObjectInfo#waiters()}). */
    public static void waiters(LockSpace space, String name, int n) throws InterruptedException {
        count(space, name, n, "waiters", ObjectInfo::waiters);
    }

    /** Until at least {@code n} owner-death watchers are counted asleep on lock {@code name} ({@link ObjectInfo#watchers()}). */
    public static void watchers(LockSpace space, String name, int n) throws InterruptedException {
        count(space, name, n, "watchers", ObjectInfo::watchers);
    }

    /** Until {@code condition} holds; {@code what} names it in the hang guard's failure. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(() -> what, condition);
    }

    /** Until {@code condition} holds; {@code what} describes it, and what was seen last, in the hang guard's failure. */
    public static void until(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("hung: waited " + HANG_GUARD.toSeconds() + " s until " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The listing entry of {@code name}; fails if the space has no such object. */
    public static ObjectInfo info(LockSpace space, String name) {
        return space.objects().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no object '" + name + "' in " + space.objects()));
    }

    /** Counts on {@code name}; an object another process has not created yet counts 0. */
    private static void count(LockSpace space, String name, int n, String what, ToIntFunction<ObjectInfo> counter)
            throws InterruptedException {
        String[] seen = {"no such object yet"};
        until(() -> n + " " + what + " counted on '" + name + "' (last seen: " + seen[0] + ")", () -> {
            Optional<ObjectInfo> info = space.objects().stream().filter(o -> o.name().equals(name)).findFirst();
            int count = info.map(counter::applyAsInt).orElse(0);
            seen[0] = info.isPresent() ? Integer.toString(count) : "no such object yet";
            return count >= n;
        });
    }
}
