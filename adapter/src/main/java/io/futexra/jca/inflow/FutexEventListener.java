package io.futexra.jca.inflow;

import io.futexra.EventNotice;

/**
 * The message-listener type of MDBs woken by a named event.
 *
 * <pre>
 * &#64;MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
 *         &#64;ActivationConfigProperty(propertyName = "event", propertyValue = "import-done"),
 *         &#64;ActivationConfigProperty(propertyName = "mode", propertyValue = "MANUAL_RESET") })
 * public class ImportDoneListener implements FutexEventListener { ... }
 * </pre>
 *
 * <p>What an MDB sees: for an {@code AUTO_RESET} event, exactly one delivery per signal,
 * host-wide — each signal is consumed by one waiter among every server, MDB activation and
 * standalone waiter on the host. For a {@code MANUAL_RESET} event, one delivery per signal edge per
 * activation (so once in every server that listens); signals in quick succession may arrive as one.
 */
public interface FutexEventListener {

    /**
     * Called once per delivery, on a {@code WorkManager} thread.
     *
     * @param notice the event, its space and mode, and this delivery's number and time
     */
    void onEvent(EventNotice notice);
}
