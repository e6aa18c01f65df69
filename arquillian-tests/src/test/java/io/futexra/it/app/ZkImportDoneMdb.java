package io.futexra.it.app;

import io.futexra.EventNotice;
import io.futexra.it.inflow.app.Record;
import io.futexra.jca.inflow.FutexEventListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Records each delivery of the auto-reset event {@value #EVENT} as a line {@code delivery space}
 * in {@code zk-import-done.received}. Its space, a ZooKeeper one, is the activation property
 * {@code spaceUri}, which the test's deployment descriptor sets (the ensemble's port is known
 * only at run time).
 */
@MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "event", propertyValue = ZkImportDoneMdb.EVENT),
        @ActivationConfigProperty(propertyName = "mode", propertyValue = "AUTO_RESET")})
public class ZkImportDoneMdb implements FutexEventListener {

    public static final String EVENT = "zk-import-done";

    @Override
    public void onEvent(EventNotice notice) {
        Record.line(EVENT + ".received", notice.delivery() + " " + notice.space());
    }
}
