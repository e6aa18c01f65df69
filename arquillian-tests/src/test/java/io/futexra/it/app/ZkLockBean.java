package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.LockSpace;
import jakarta.ejb.Stateless;
import java.net.URI;
import java.time.Duration;

/** An EJB that takes a lock in a {@code zookeeper:} space through the API the RAR carries. */
@Stateless
public class ZkLockBean {

    /** Acquires {@code lock} in {@code space} (waiting up to 60 s), releases it; "TOKEN t DIED d". */
    public String acquireOnce(URI space, String lock) {
        try (LockSpace s = LockSpace.open(space); Held h = s.lock(lock).acquire(Duration.ofSeconds(60))) {
            return "TOKEN " + h.fencingToken() + " DIED " + h.previousOwnerDied();
        }
    }
}
