package io.futexra.it.app;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.time.Duration;

/** A buggy EJB: it acquires a lock through a connection and never closes the connection. */
@Stateless
public class LeakingBean {

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    /** Acquires {@code lock} and returns its fencing token, leaving the connection open (the leak). */
    public long acquireAndLeak(String lock) {
        LockConnection leaked = locks.getConnection();
        return leaked.lock(lock).acquire(Duration.ofSeconds(5)).fencingToken();
    }
}
