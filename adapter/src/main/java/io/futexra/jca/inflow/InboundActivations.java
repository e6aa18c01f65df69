package io.futexra.jca.inflow;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import io.futexra.SpaceOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every MDB activation of one adapter deployment, keyed by the (factory, spec) pair the server
 * activates and deactivates: what {@code FutexResourceAdapter} delegates its inbound half to.
 */
public final class InboundActivations {

    private final List<Entry> active = new ArrayList<>();
    private volatile WorkManager workManager;

    private record Entry(MessageEndpointFactory factory, ActivationSpec spec, EndpointActivation activation) {
    }

    /**
     * Starts with the server's {@code WorkManager}: deliveries run on its threads.
     *
     * @param manager the {@code WorkManager} of the adapter's {@code BootstrapContext}
     */
    public void start(WorkManager manager) {
        this.workManager = manager;
    }

    /**
     * {@code ResourceAdapter.endpointActivation}: validates, then starts delivering.
     *
     * @param factory the server's factory of the MDB's endpoints
     * @param spec the MDB's activation properties: a {@link FutexActivationSpec}
     * @param definitions the creation options (file mode, capacity) of a space, given its URI:
     *     those of the connection definition naming it, so that an MDB opening the space
     *     first creates it as the definition would
     * @throws ResourceException if the spec is not futex-ra's ({@code NotSupportedException}), a property is
     *     invalid ({@code FUTEXRA060}), the MDB does not implement the listener type, or the adapter is not
     *     started ({@code FUTEXRA061})
     */
    public void activate(MessageEndpointFactory factory, ActivationSpec spec,
                         Function<URI, SpaceOptions> definitions) throws ResourceException {
        if (!(spec instanceof FutexActivationSpec)) {
            throw new NotSupportedException("futex-ra activates " + FutexActivationSpec.class.getName() + ", not "
                    + (spec == null ? "null" : spec.getClass().getName()));
        }
        FutexActivationSpec futex = (FutexActivationSpec) spec;
        futex.validate();
        Class<?> endpoint = factory.getEndpointClass();
        Class<?> wanted = futex.watchesOwnerDeath() ? OwnerDeathListener.class : FutexEventListener.class;
        if (endpoint != null && !wanted.isAssignableFrom(endpoint)) {
            throw new NotSupportedException("FUTEXRA061: " + endpoint.getName() + " is activated on "
                    + futex.describe() + " and must implement " + wanted.getName());
        }
        WorkManager manager = workManager;
        if (manager == null) {
            throw new ResourceException("FUTEXRA061: the futex-ra adapter is not started");
        }
        EndpointActivation a = new EndpointActivation(factory, futex, manager,
                definitions.apply(futex.spaceUri()));
        a.start();
        synchronized (active) {
            active.add(new Entry(factory, spec, a));
        }
    }

    /**
     * {@code ResourceAdapter.endpointDeactivation}: stops promptly, delivering what was consumed.
     *
     * @param factory the factory given to {@link #activate}
     * @param spec the spec given to {@link #activate}; an unknown pair is ignored
     */
    public void deactivate(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointActivation found = null;
        synchronized (active) {
            for (int i = 0; i < active.size(); i++) {
                Entry e = active.get(i);
                if (e.factory() == factory && e.spec() == spec) {
                    found = active.remove(i).activation();
                    break;
                }
            }
        }
        if (found != null) {
            found.stop();
        }
    }

    /** Adapter stop: ends every activation still running. */
    public void stop() {
        List<Entry> all;
        synchronized (active) {
            all = new ArrayList<>(active);
            active.clear();
        }
        for (Entry e : all) {
            e.activation().stop();
        }
    }
}
