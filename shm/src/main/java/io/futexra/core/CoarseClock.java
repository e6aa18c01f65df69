package io.futexra.core;

/**
 * Wall-clock milliseconds, refreshed every {@link #TICK_MILLIS} by one daemon thread while any
 * space is open in this process (see {@link ProcessContext#retain()}).
 *
 * <p>Why: reading the wall clock can cost more than the whole uncontended lock on a VM (a
 * paravirtualised clock source); a holder's "held since" only needs to be right to a few milliseconds, so the fast path
 * reads a volatile field instead. The thread exists only while a space is open, so an adapter
 * that closes its spaces on stop leaves no thread behind.
 */
final class CoarseClock {

    static final long TICK_MILLIS = 10;

    private volatile long millis = System.currentTimeMillis();
    private Thread ticker;

    long millis() {
        return millis;
    }

    synchronized void start() {
        millis = System.currentTimeMillis();
        Thread t = new Thread(this::tick, "futex-ra-clock");
        t.setDaemon(true);
        t.start();
        ticker = t;
    }

    synchronized void stop() {
        ticker.interrupt();
        ticker = null;
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                millis = System.currentTimeMillis();
                Thread.sleep(TICK_MILLIS);
            }
        } catch (InterruptedException stopped) {
            // released by the last space: end
        }
    }
}
