package io.futexra.jca.inflow;

import java.util.logging.Logger;

/**
 * The inbound adapter's logger ({@code io.futexra.jca.inflow}) and its stable message ids.
 *
 * <pre>
 * FUTEXRA060         (exception) invalid activation property
 * FUTEXRA061 INFO    an MDB was activated (or, as an exception, could not be)
 * FUTEXRA062 INFO    an MDB was deactivated: how many deliveries it had
 * FUTEXRA063 WARNING the MDB threw on a delivery
 * FUTEXRA064 WARNING no endpoint could be made for a delivery (auto-reset: the signal is given back)
 * </pre>
 */
final class InboundLog {

    static final Logger LOG = Logger.getLogger("io.futexra.jca.inflow");

    private InboundLog() {
    }

    static void info(String id, String message) {
        LOG.info(() -> id + ": " + message);
    }

    static void warn(String id, String message) {
        LOG.warning(() -> id + ": " + message);
    }
}
