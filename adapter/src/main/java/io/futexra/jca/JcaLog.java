package io.futexra.jca;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The adapter's one logger ({@code io.futexra.jca}, java.util.logging, which WildFly routes to its
 * log) and the catalogue of every stable message id, outbound and inbound ({@code inflow} logs
 * through it too). Nothing is logged on the acquire/release path. Public only so that
 * {@code io.futexra.jca.inflow} can share it: not an API for applications.
 *
 * <p>One id per line, in order; an id is never reused for another meaning.
 *
 * <pre>
 * FUTEXRA001 INFO    adapter started
 * FUTEXRA002 INFO    adapter stopped: what it released and woke
 * FUTEXRA003 INFO    a connection definition opened its space
 * FUTEXRA004 FINE    undeploy unbound the RAR's classes from the server's JNA module, or disposed the RAR's private copy of JNA (logged by the shared-memory backend, through LockSpace.releaseNativeResources)
 * FUTEXRA005 WARNING JNA could not be released; the deployment's classes may stay loaded after undeploy (NativeDisposal)
 * FUTEXRA006 INFO    a space was published over JMX
 * FUTEXRA007 WARNING a space was not published over JMX (its name is taken)
 * FUTEXRA008 WARNING the C library was looked up on the deploying thread (common pool did not run it): on Java 17-23 JNA's cleaner thread may keep the deployment loaded (CLibraryLookup)
 * FUTEXRA010 WARNING a connection was closed while still holding an object: released
 * FUTEXRA011 WARNING the container cleaned up a connection still holding an object: released
 * FUTEXRA012 WARNING adapter stop released an object still held
 * FUTEXRA013 WARNING adapter stop woke a thread waiting for an object
 * FUTEXRA020 FINE    a transaction-scoped lock was released at the end of its transaction
 * FUTEXRA021 SEVERE  releasing an object failed
 * FUTEXRA022 WARNING a transaction-scoped lock was lost (or could not be confirmed held) before commit: the transaction is marked rollback-only
 * FUTEXRA030         (exception) acquireForTransaction without an active transaction
 * FUTEXRA031         (exception) the adapter stopped while a thread waited
 * FUTEXRA032         (exception) the calling thread already holds the lock through a connection
 * FUTEXRA040         (exception) invalid connection-definition configuration
 * FUTEXRA041         (exception) the definition's spaceUri names no backend here, or a form its backend refuses
 * FUTEXRA042         (exception) the definition's backend cannot reach its space now (SpaceUnavailableException)
 * FUTEXRA050         (exception) no connection could be allocated
 * FUTEXRA060         (exception) invalid activation property
 * FUTEXRA061 INFO    an MDB was activated (or, as an exception, could not be)
 * FUTEXRA062 INFO    an MDB was deactivated: how many deliveries it had
 * FUTEXRA063 WARNING the MDB threw on a delivery
 * FUTEXRA064 WARNING no endpoint could be made for a delivery (auto-reset: the signal is given back)
 * FUTEXRA090         (exception) a second copy of the RAR is deployed: refused before it opens anything
 * FUTEXRA091 WARNING the adapter did not start: what it had opened is released
 * </pre>
 */
public final class JcaLog {

    /** The logger, {@code io.futexra.jca}: one category for the whole adapter. */
    static final Logger LOG = Logger.getLogger("io.futexra.jca");

    private JcaLog() {
    }

    /**
     * Logs {@code message} at INFO, prefixed with its catalogue {@code id}.
     *
     * @param id the message id, {@code FUTEXRAnnn}
     * @param message what happened
     */
    public static void info(String id, String message) {
        LOG.info(() -> id + ": " + message);
    }

    /**
     * Logs {@code message} at WARNING, prefixed with its catalogue {@code id}.
     *
     * @param id the message id, {@code FUTEXRAnnn}
     * @param message what happened and what to do
     */
    public static void warn(String id, String message) {
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
