package io.futexra.it.inflow.app;

import io.futexra.EventNotice;
import io.futexra.jca.inflow.FutexEventListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/** Records every delivery of the auto-reset event {@code inflow-auto}: {@code pid delivery}. */
@MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "event", propertyValue = "inflow-auto"),
        @ActivationConfigProperty(propertyName = "mode", propertyValue = "AUTO_RESET"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
public class AutoResetCounter implements FutexEventListener {

    @Override
    public void onEvent(EventNotice notice) {
        Record.line("inflow-auto.received", ProcessHandle.current().pid() + " " + notice.delivery());
    }
}
