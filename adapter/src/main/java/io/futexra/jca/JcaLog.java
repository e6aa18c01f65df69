package io.futexra.jca;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The adapter's one logger ({@code io.futexra.jca}, java.util.logging, which WildFly routes to its
 * log) and its stable message ids. Nothing is logged on the acquire/release path.
 *
 * <pre>
 * FUTEXRA001 INFO    adapter started
 * FUTEXRA002 INFO    adapter stopped: what it released and woke
 * FUTEXRA003 INFO    a connection definition opened its space
 * FUTEXRA010 WARNING a connection was closed while still holding an object: released
 * FUTEXRA011 WARNING the container cleaned up a connection still holding an object: released
 * FUTEXRA012 WARNING adapter stop released an object still held
 * FUTEXRA013 WARNING adapter stop woke a thread waiting for an object
 * FUTEXRA020 FINE    a transaction-scoped lock was released at the end of its transaction
 * FUTEXRA021 SEVERE  releasing an object failed
 * FUTEXRA030         (exception) acquireForTransaction without an active transaction
 * FUTEXRA031         (exception) the adapter stopped while a thread waited
 * FUTEXRA032         (exception) the calling thread already holds the lock through a connection
 * FUTEXRA040         (exception) invalid connection-definition configuration
 * FUTEXRA050         (exception) no connection could be allocated
 * FUTEXRA090         (exception) a second copy of the RAR is deployed: refused before it opens anything
 * FUTEXRA091 WARNING the adapter did not start: what it had opened is released
 * </pre>
 */
final class JcaLog {

    static final Logger LOG = Logger.getLogger("io.futexra.jca");

    private JcaLog() {
    }

    static void info(String id, String message) {
        LOG.info(() -> id + ": " + message);
    }

    static void warn(String id, String message) {
        LOG.warning(() -> id + ": " + message);
    }

    static void fine(String id, String message) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(id + ": " + message);
        }
    }

    static void severe(String id, String message, Throwable cause) {
        LOG.log(Level.SEVERE, id + ": " + message, cause);
    }
}
