package io.futexra.jca.inflow;

import io.futexra.OwnerDeathNotice;

/**
 * The message-listener type of MDBs told when the holder of a named lock dies holding it
 * (activation property {@code ownerDeathOf}). The kernel's robust-futex wake is the notification:
 * nothing polls. Every activation (every server that listens) is told once per death.
 */
public interface OwnerDeathListener {

    /**
     * Called once per death of a holder of the watched lock, on a {@code WorkManager} thread.
     *
     * @param notice the lock, its space and the dead holder's fencing token
     */
    void onOwnerDeath(OwnerDeathNotice notice);
}
