package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.time.Duration;

/**
 * Test EJB: acquires and releases a lock a given number of times, through the RAR's own connection
 * definition or through the one {@code WildFlyStatisticsIT} activates in the resource-adapters
 * subsystem ({@value #STATS_JNDI_NAME}).
 */
@Stateless
public class LockTimesBean {

    /** Where the definition the test activates is bound. */
    public static final String STATS_JNDI_NAME = "java:/futex-ra/Stats";

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory builtIn;

    @Resource(lookup = STATS_JNDI_NAME)
    private LockFactory stats;

    /**
     * Acquires and releases {@code lock} {@code times} times on one connection.
     *
     * @param definition {@code stats} for the activated definition, else the RAR's own
     * @return whether the first acquisition found the previous owner dead
     */
    public boolean acquire(String definition, String lock, int times) {
        boolean died = false;
        try (LockConnection c = ("stats".equals(definition) ? stats : builtIn).getConnection()) {
            for (int i = 0; i < times; i++) {
                try (Held h = c.lock(lock).acquire(Duration.ofSeconds(10))) {
                    died |= i == 0 && h.previousOwnerDied();
                }
            }
        }
        return died;
    }
}
