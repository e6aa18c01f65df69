package io.futexra.servers.app;

import io.futexra.OwnerDeathNotice;
import io.futexra.jca.inflow.OwnerDeathListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/** Told when a holder of lock {@code portable-victim} dies holding it; the space as for {@link EventMdb}. */
@MessageDriven(messageListenerInterface = OwnerDeathListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "ownerDeathOf", propertyValue = "portable-victim") })
public class DeathMdb implements OwnerDeathListener {

    @Override
    public void onOwnerDeath(OwnerDeathNotice notice) {
        Received.append("deaths.txt", "death lock=" + notice.lock() + " token=" + notice.deadOwnerToken());
    }
}
