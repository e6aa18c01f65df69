package io.futexra.samples;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one way into a fragile legacy system that tolerates at most {@value #SLOTS} concurrent calls
 * from the whole host — every server and batch job together.
 *
 * <p>Each of the {@value #SLOTS} slots is a named lock {@code legacy-slot-N}; a call takes any free
 * slot (trying them from a random start, without waiting), and if all are busy waits on one for
 * up to the timeout. (With the core's counting semaphore this becomes one
 * {@code semaphore("legacy", SLOTS)}; the slots are how to do it with locks alone.)
 */
@Stateless
public class LegacyGateway {

    public static final int SLOTS = 2;
    static final String SLOT_PREFIX = "legacy-slot-";

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    /**
     * Runs {@code call} while holding a slot.
     *
     * @throws LockTimeoutException if no slot came free within {@code timeout}
     */
    public <T> T call(Supplier<T> call, Duration timeout) {
        try (LockConnection c = locks.getConnection()) {
            Held slot = takeSlot(c, timeout);
            try {
                return call.get();
            } finally {
                slot.close();
            }
        }
    }

    private static Held takeSlot(LockConnection c, Duration timeout) {
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            Optional<Held> free = c.lock(SLOT_PREFIX + (start + i) % SLOTS).tryAcquire();
            if (free.isPresent()) {
                return free.get();
            }
        }
        return c.lock(SLOT_PREFIX + start).acquire(timeout); // all busy: queue on one
    }
}
