package io.futexra.it.app;

import io.futexra.OwnerDeathNotice;
import io.futexra.it.inflow.app.Record;
import io.futexra.jca.inflow.OwnerDeathListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Records each death of a holder of the ZooKeeper lock {@value #LOCK} as a line
 * {@code lock deadOwnerToken} in {@code zk-nightly.deaths}. Its {@code spaceUri} comes from the
 * test's deployment descriptor, as for {@link ZkImportDoneMdb}.
 */
@MessageDriven(messageListenerInterface = OwnerDeathListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "ownerDeathOf", propertyValue = ZkNightlyDeathMdb.LOCK)})
public class ZkNightlyDeathMdb implements OwnerDeathListener {

    public static final String LOCK = "zk-nightly";

    @Override
    public void onOwnerDeath(OwnerDeathNotice notice) {
        Record.line(LOCK + ".deaths", notice.lock() + " " + notice.deadOwnerToken());
    }
}
