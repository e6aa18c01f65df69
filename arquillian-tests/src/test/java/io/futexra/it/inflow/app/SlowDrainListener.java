package io.futexra.it.inflow.app;

import io.futexra.EventNotice;
import io.futexra.jca.inflow.FutexEventListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/** Takes 5 ms per delivery of {@code inflow-drain}, one at a time, so signals queue up while it is undeployed. */
@MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "event", propertyValue = "inflow-drain"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")})
public class SlowDrainListener implements FutexEventListener {

    @Override
    public void onEvent(EventNotice notice) {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Record.line("inflow-drain.received", ProcessHandle.current().pid() + " " + notice.delivery());
    }
}
