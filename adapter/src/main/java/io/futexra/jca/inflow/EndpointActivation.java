package io.futexra.jca.inflow;

import io.futexra.EventMode;
import io.futexra.EventNotice;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.OwnerDeathNotice;
import io.futexra.core.EventDispatcher;
import io.futexra.linux.LinuxKernel;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One MDB activation: its space, its {@link EventDispatcher} (leader/followers on the server's
 * {@code WorkManager}), and delivery to its endpoints.
 *
 * <p>Delivery: {@code createEndpoint} → the listener method → {@code release}, at most
 * {@code maxConcurrency} at once. A signal the dispatcher consumed is always delivered, even while
 * the activation ends. If no endpoint can be made (the MDB is being undeployed), an auto-reset
 * signal is given back to the event (signalled again), so that another listener on the host gets
 * it: delivered + still pending = signalled. An exception from the MDB is logged
 * ({@code FUTEXRA063}); the delivery counts as made (the signal is not redelivered).
 */
final class EndpointActivation {

    /** How long deactivation waits for the leader to stop and deliveries in progress to end. */
    static final long STOP_SECONDS = 30;

    private final MessageEndpointFactory factory;
    private final FutexActivationSpec spec;
    private final WorkManager workManager;
    private final Semaphore concurrency;
    private final AtomicLong delivered = new AtomicLong();
    private LockSpace space;
    private EventDispatcher dispatcher;
    private NamedEvent event;

    EndpointActivation(MessageEndpointFactory factory, FutexActivationSpec spec, WorkManager workManager) {
        this.factory = factory;
        this.spec = spec;
        this.workManager = workManager;
        this.concurrency = new Semaphore(spec.concurrency());
    }

    /** Opens the space and starts the dispatcher: from here signals reach the MDB. */
    void start() throws ResourceException {
        EventMode mode = spec.eventMode();
        try {
            space = LockSpace.open(spec.directoryPath(), spec.spaceName());
            dispatcher = new EventDispatcher(this::promote, LinuxKernel.load());
            if (spec.watchesOwnerDeath()) {
                dispatcher.watchOwnerDeath(space.lock(spec.lockName()), this::deliverDeath);
            } else {
                event = space.event(spec.eventName(), mode);
                dispatcher.subscribe(event, this::deliverEvent);
            }
        } catch (RuntimeException e) {
            stopQuietly();
            throw new ResourceException("FUTEXRA061: cannot activate " + spec.describe() + " for "
                    + factory.getEndpointClass() + ": " + e.getMessage(), e);
        }
        InboundLog.info("FUTEXRA061", "activated " + endpointName() + " on " + spec.describe()
                + " (maxConcurrency " + spec.concurrency() + ")");
    }

    /**
     * Ends it: the leader stops at once; deliveries of signals already consumed finish first
     * (waiting up to {@value #STOP_SECONDS} s). No endpoint is created after this returns.
     */
    void stop() {
        boolean done = stopQuietly();
        InboundLog.info("FUTEXRA062", "deactivated " + endpointName() + " on " + spec.describe() + " after "
                + delivered.get() + " deliveries" + (done ? "" : " (deliveries still running after " + STOP_SECONDS
                + " s were left to finish)"));
    }

    private boolean stopQuietly() {
        boolean done = true;
        if (dispatcher != null) {
            try {
                done = dispatcher.shutdown(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
        }
        if (space != null) {
            space.close();
        }
        return done;
    }

    /** The dispatcher's promoter: the leader role moves to a {@code WorkManager} thread. */
    private void promote(Runnable leader) {
        try {
            workManager.scheduleWork(new LeaderWork(leader));
        } catch (WorkException | RuntimeException e) {
            throw new RejectedExecutionException("the WorkManager refused the event leader", e);
        }
    }

    private void deliverEvent(EventNotice notice) {
        deliver(ep -> ((FutexEventListener) ep).onEvent(notice), "event '" + notice.event() + "' #"
                + notice.delivery(), notice.mode() == EventMode.AUTO_RESET);
    }

    private void deliverDeath(OwnerDeathNotice notice) {
        deliver(ep -> ((OwnerDeathListener) ep).onOwnerDeath(notice), "owner death of lock '" + notice.lock()
                + "' (token " + notice.deadOwnerToken() + ")", false);
    }

    private void deliver(Consumer<MessageEndpoint> call, String what, boolean giveBackIfUndeliverable) {
        concurrency.acquireUninterruptibly();
        try {
            MessageEndpoint endpoint;
            try {
                endpoint = factory.createEndpoint(null);
            } catch (ResourceException | RuntimeException e) {
                if (giveBackIfUndeliverable) {
                    event.signal(); // not lost: another listener on the host, or this one later, gets it
                }
                InboundLog.warn("FUTEXRA064", "no endpoint of " + endpointName() + " for " + what
                        + (giveBackIfUndeliverable ? "; the signal was given back to the event" : "; not delivered")
                        + ": " + e);
                return;
            }
            try {
                call.accept(endpoint);
                delivered.incrementAndGet();
            } catch (RuntimeException e) {
                delivered.incrementAndGet();
                InboundLog.warn("FUTEXRA063", endpointName() + " threw on " + what + ": " + e);
            } finally {
                endpoint.release();
            }
        } finally {
            concurrency.release();
        }
    }

    private String endpointName() {
        String name = factory.getActivationName();
        return name != null ? name : String.valueOf(factory.getEndpointClass());
    }

    /** A leader turn as {@code WorkManager} work; the dispatcher's control word stops it, not {@link #release}. */
    private static final class LeaderWork implements Work {
        private final Runnable leader;

        LeaderWork(Runnable leader) {
            this.leader = leader;
        }

        @Override
        public void run() {
            leader.run();
        }

        @Override
        public void release() {
            // deactivation and adapter stop end the leader through the dispatcher
        }
    }
}
