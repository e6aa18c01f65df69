package io.futexra.jca;

import io.futexra.LockSpace;
import io.futexra.jca.inflow.InboundActivations;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import javax.transaction.xa.XAResource;

/**
 * The futex-ra resource adapter: its lifecycle, nothing else (the work is in
 * {@link AdapterRuntime}).
 *
 * <p>{@link #start} takes the server's {@code TransactionSynchronizationRegistry} (for
 * transaction-scoped locks). {@link #stop} — undeploy or server shutdown — wakes every thread
 * waiting inside the adapter, releases every lock still held through it (warning {@code FUTEXRA012}
 * for each), closes its spaces (which ends the core's threads), and, when JNA was loaded from inside
 * the RAR and this is the deployment's last running instance (see {@link CopyClaim}), disposes JNA so
 * that its cleaner thread ends and the deployment's class loader can go.
 *
 * <p>Inbound ({@link io.futexra.jca.inflow}): MDBs activated on a named event or on a lock's owner
 * death; stop ends every activation first, delivering the signals already consumed.
 *
 * <p>Transactions: {@code NoTransaction} — connections are never enlisted; a lock joins a
 * transaction through a synchronization instead ({@link ConnectionLock#acquireForTransaction}).
 */
@Connector(displayName = "futex-ra", vendorName = "futex-ra", eisType = "futex lock space", version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public final class FutexResourceAdapter implements ResourceAdapter {

    /** Made with the adapter: the server creates (and validates) connection factories before {@link #start}. */
    private final AdapterRuntime runtime = new AdapterRuntime(null);
    /** MDB activations: named events and owner deaths delivered through the WorkManager. */
    private final InboundActivations inbound = new InboundActivations();
    /** This instance's share of {@link CopyClaim}: taken by the first of start or a factory's use, given up at stop, once. */
    private volatile Claim claim = Claim.NONE;

    private enum Claim { NONE, HELD, RELEASED }

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        try {
            claim();
        } catch (RuntimeException refused) { // FUTEXRA090: nothing opened yet, nothing to undo
            throw new ResourceAdapterInternalException(refused.getMessage(), refused);
        }
        try {
            runtime.useTransactions(context.getTransactionSynchronizationRegistry());
            inbound.start(context.getWorkManager());
        } catch (RuntimeException e) {
            stop(); // the server does not call stop after a failed start: undo what this instance opened
            JcaLog.warn("FUTEXRA091", "futex-ra resource adapter did not start; released what it had opened");
            throw new ResourceAdapterInternalException(e.getMessage(), e);
        }
        JcaLog.info("FUTEXRA001", "futex-ra resource adapter started");
    }

    @Override
    public void stop() {
        boolean last;
        try {
            inbound.stop();
            runtime.stop();
        } finally {
            last = unclaim();
        }
        // Only the copy's last running instance lets JNA go: the instances of one deployment (its
        // built-in definition and those the resource-adapters subsystem activates) share its classes,
        // and one that stops later still closes its shared-memory spaces through JNA.
        if (last) {
            LockSpace.releaseNativeResources();
        }
    }

    /** The runtime, once this copy of the RAR is known to be the only one ({@code FUTEXRA090} otherwise). */
    AdapterRuntime runtime() {
        if (claim == Claim.NONE) {
            claim();
        }
        return runtime;
    }

    private synchronized void claim() {
        if (claim == Claim.NONE) {
            CopyClaim.take();
            claim = Claim.HELD;
        }
    }

    /** Gives up this instance's share of the claim; returns whether it was the copy's last running instance. */
    private synchronized boolean unclaim() {
        boolean last = claim == Claim.HELD && CopyClaim.release();
        claim = Claim.RELEASED; // a stopped instance never claims again (its runtime refuses with FUTEXRA031)
        return last;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        inbound.activate(factory, spec, runtime::optionsFor);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        inbound.deactivate(factory, spec);
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return this == o; // one instance per deployment; required to be overridden by the spec
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
