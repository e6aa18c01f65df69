package io.futexra.samples;

import io.futexra.Held;
import io.futexra.LockTimeoutException;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way into a fragile legacy system that tolerates at most {@value #PERMITS} concurrent
 * calls from the whole host — every server and batch job together.
 *
 * <p>A named semaphore of {@value #PERMITS} permits bounds them: each call takes a permit for its
 * duration. A server (or batch JVM) that dies mid-call returns its permit by itself.
 */
@Stateless
public class LegacyGateway {

    public static final int PERMITS = 2;
    static final String SEMAPHORE = "legacy-system";

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    /**
     * Runs {@code call} while holding a permit.
     *
     * @throws LockTimeoutException if no permit came free within {@code timeout}
     */
    public <T> T call(Supplier<T> call, Duration timeout) {
        try (LockConnection c = locks.getConnection()) {
            Held permit = c.semaphore(SEMAPHORE, PERMITS).acquire(timeout);
            try {
                return call.get();
            } finally {
                permit.close();
            }
        }
    }
}
