package io.futexra;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers events' signals and locks' owner deaths to listeners, on threads a {@link Promoter}
 * gives it (a JCA {@code WorkManager} in the adapter). Made by {@link LockSpace#dispatcher}; each
 * backend delivers in its own way and documents how.
 *
 * <p>Guarantees on every backend: an auto-reset event's signal is delivered to exactly one
 * listener or waiter (host- or ensemble-wide); a manual-reset event is delivered once per signal
 * edge; an owner-death notice is delivered once per death. A signal the dispatcher has consumed
 * is delivered even while it shuts down.
 */
public interface Dispatcher extends AutoCloseable {

    /** Runs a task on another thread. */
    interface Promoter {
        /**
         * Runs {@code task} on another thread.
         *
         * @param task the work to run
         * @throws RejectedExecutionException if it cannot run it now
         */
        void promote(Runnable task);
    }

    /**
     * Delivers every later signal of {@code event} to {@code listener} until the returned handle
     * is closed.
     *
     * @param event the event to deliver
     * @param listener called with each notice, on a thread of the promoter's
     * @return closing it ends the subscription
     * @throws IllegalArgumentException if the event belongs to another backend
     */
    AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener);

    /**
     * Tells {@code listener} each time a holder of {@code lock} dies holding it (a process killed,
     * crashed, or its session lost), until the returned handle is closed.
     *
     * @param lock the lock to watch
     * @param listener called with each notice, on a thread of the promoter's
     * @return closing it ends the watch
     * @throws IllegalArgumentException if the lock belongs to another backend, or the backend
     *     cannot watch locks of its policy (say which it can)
     */
    AutoCloseable watchOwnerDeath(NamedLock lock, Consumer<OwnerDeathNotice> listener);

    /**
     * Stops delivering: waits up to {@code timeout} for deliveries in progress to end.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return whether everything finished in time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException;

    /** Stops delivering, without waiting. */
    @Override
    void close();
}
