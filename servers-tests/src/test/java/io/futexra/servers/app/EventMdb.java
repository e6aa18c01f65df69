package io.futexra.servers.app;

import io.futexra.EventNotice;
import io.futexra.jca.inflow.FutexEventListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Woken by the auto-reset event {@code portable-ping}; the space comes from the server's
 * {@code futexra.directory} / {@code futexra.space} system properties (Payara) or from the
 * activation specification in server.xml (Liberty).
 */
@MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "event", propertyValue = "portable-ping"),
        @ActivationConfigProperty(propertyName = "mode", propertyValue = "AUTO_RESET") })
public class EventMdb implements FutexEventListener {

    @Override
    public void onEvent(EventNotice notice) {
        Received.append("events.txt", "event=" + notice.event() + " space=" + notice.space() + " delivery=" + notice.delivery());
    }
}
