package io.futexra.jca.inflow;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.EventNotice;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.OwnerDeathNotice;
import io.futexra.SpaceOptions;
import io.futexra.jca.JcaLog;
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
 * One MDB activation: its space, its {@link Dispatcher} (leader/followers on the server's
 * {@code WorkManager}), and delivery to its endpoints.
 *
 * <p>Delivery: {@code createEndpoint} → the listener method → {@code release}, at most
 * {@code maxConcurrency} at once: a leader holds one of that many permits while it waits, so it
 * consumes a signal only when it can deliver it at once. A signal the dispatcher consumed is always
 * offered to the MDB, even while the activation ends. If the container refuses it (no endpoint, or
 * the MDB is shutting down: undeploy), an auto-reset signal is given back to the event (signalled
 * again), so that another listener on the host gets it: delivered + still pending = signalled. An
 * exception from the MDB itself is logged ({@code FUTEXRA063}); the delivery counts as made (not
 * redelivered) — except while deactivation runs, when any failure counts as a refusal.
 */
final class EndpointActivation {

    /** How long deactivation waits for the leader to stop and deliveries in progress to end. */
    static final long STOP_SECONDS = 30;

    private final MessageEndpointFactory factory;
    private final FutexActivationSpec spec;
    /** How the space is created if this activation is the first to open it. */
    private final SpaceOptions options;
    private final WorkManager workManager;
    private final Semaphore concurrency;
    private final AtomicLong delivered = new AtomicLong();
    private LockSpace space;
    private Dispatcher dispatcher;
    private NamedEvent event;
    /** Set when deactivation starts: the container then refuses invocations of the MDB. */
    private volatile boolean stopping;

    EndpointActivation(MessageEndpointFactory factory, FutexActivationSpec spec, WorkManager workManager,
                       SpaceOptions options) {
        this.options = options;
        this.factory = factory;
        this.spec = spec;
        this.workManager = workManager;
        this.concurrency = new Semaphore(spec.concurrency());
    }

    /** Opens the space and starts the dispatcher: from here signals reach the MDB. */
    void start() throws ResourceException {
        EventMode mode = spec.eventMode();
        try {
            space = LockSpace.open(spec.directoryPath(), spec.spaceName(), options);
            dispatcher = space.dispatcher(this::promote);
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
        JcaLog.info("FUTEXRA061", "activated " + endpointName() + " on " + spec.describe()
                + " (maxConcurrency " + spec.concurrency() + ")");
    }

    /**
     * Ends it: the leader stops at once; deliveries of signals already consumed finish first
     * (waiting up to {@value #STOP_SECONDS} s). No endpoint is created after this returns.
     */
    void stop() {
        boolean done = stopQuietly();
        JcaLog.info("FUTEXRA062", "deactivated " + endpointName() + " on " + spec.describe() + " after "
                + delivered.get() + " deliveries" + (done ? "" : " (deliveries still running after " + STOP_SECONDS
                + " s were left to finish)"));
    }

    private boolean stopQuietly() {
        stopping = true;
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

    /**
     * The dispatcher's promoter: the leader role moves to a {@code WorkManager} thread, which first
     * takes one of the {@code maxConcurrency} permits. So a leader only consumes a signal when it
     * can deliver it at once: a busy server leaves auto-reset signals pending for other listeners on
     * the host instead of hoarding them in queued threads.
     */
    private void promote(Runnable leader) {
        try {
            workManager.scheduleWork(new LeaderWork(leader, concurrency));
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

    /**
     * Delivers on the calling (leader) thread, which holds a concurrency permit. A signal the
     * container refuses — no endpoint, or the invocation refused because deactivation has begun
     * (WildFly: {@code EJBComponentUnavailableException}, "component is shutting down") — is not
     * delivered: an auto-reset signal is given back to the event.
     */
    private void deliver(Consumer<MessageEndpoint> call, String what, boolean giveBackIfUndeliverable) {
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(null);
        } catch (ResourceException | RuntimeException e) {
            undeliverable(what, giveBackIfUndeliverable, e);
            return;
        }
        try {
            call.accept(endpoint);
            delivered.incrementAndGet();
        } catch (RuntimeException e) {
            if (stopping || refusedByContainer(e)) {
                undeliverable(what, giveBackIfUndeliverable, e);
            } else {
                delivered.incrementAndGet();
                JcaLog.warn("FUTEXRA063", endpointName() + " threw on " + what + ": " + e);
            }
        } finally {
            endpoint.release();
        }
    }

    private void undeliverable(String what, boolean giveBack, Exception e) {
        if (giveBack) {
            event.signal(); // not lost: another listener on the host, or this one later, gets it
        }
        JcaLog.warn("FUTEXRA064", endpointName() + " could not take " + what
                + (giveBack ? "; the signal was given back to the event" : "; not delivered") + ": " + e);
    }

    /** The container's refusal to invoke an MDB that is unavailable (WildFly's exception, by name: no server classes here). */
    private static boolean refusedByContainer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().endsWith("ComponentUnavailableException")) {
                return true;
            }
        }
        return false;
    }

    private String endpointName() {
        Class<?> c = factory.getEndpointClass();
        return c != null ? c.getName() : String.valueOf(factory.getActivationName());
    }

    /**
     * A leader turn as {@code WorkManager} work, holding a concurrency permit while it leads and
     * delivers; the dispatcher's control word stops it, not {@link #release}.
     */
    private static final class LeaderWork implements Work {
        private final Runnable leader;
        private final Semaphore permits;

        LeaderWork(Runnable leader, Semaphore permits) {
            this.leader = leader;
            this.permits = permits;
        }

        @Override
        public void run() {
            permits.acquireUninterruptibly();
            try {
                leader.run();
            } finally {
                permits.release();
            }
        }

        @Override
        public void release() {
            // deactivation and adapter stop end the leader through the dispatcher
        }
    }
}
