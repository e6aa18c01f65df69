package io.futexra.samples;

import io.futexra.OwnerDeathNotice;
import io.futexra.jca.inflow.OwnerDeathListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.util.logging.Logger;

/**
 * Told, in every server, when whoever holds the lock {@value NightlyJob#LOCK} dies holding it — a
 * server, or a batch JVM killed with {@code kill -9}. The kernel's robust-futex wake is the
 * notification; nothing polls.
 *
 * <p>It records each notice as a line {@code pid deadOwnerToken recovered ownerTid epochMillis} in
 * {@code owner-death.received}; a real application would alert, or start repairing what the dead
 * holder's fencing token shows it left half done.
 */
@MessageDriven(messageListenerInterface = OwnerDeathListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "ownerDeathOf", propertyValue = NightlyJob.LOCK)})
public class NightlyJobDeathListener implements OwnerDeathListener {

    private static final Logger LOG = Logger.getLogger(NightlyJobDeathListener.class.getName());

    @Override
    public void onOwnerDeath(OwnerDeathNotice notice) {
        LOG.warning("the holder of lock '" + notice.lock() + "' (token " + notice.deadOwnerToken() + ", tid "
                + notice.ownerTid() + ") died holding it" + (notice.recovered() ? "; already taken over" : ""));
        ImportDoneListener.append("owner-death.received", ProcessHandle.current().pid() + " " + notice.deadOwnerToken()
                + " " + notice.recovered() + " " + notice.ownerTid() + " " + notice.detectedAt().toEpochMilli());
    }
}
