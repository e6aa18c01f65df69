package io.futexra.core;

/**
 * Wall-clock milliseconds, refreshed every {@link #TICK_MILLIS} by one daemon thread while any
 * space is open in this process (see {@link ProcessContext#retain()}).
 *
 * <p>Why: reading the wall clock can cost more than the whole uncontended lock on a VM (a
 * paravirtualised clock source); a holder's "held since" only needs to be right to a few milliseconds, so the fast path
 * reads a volatile field instead. The thread exists only while a space is open, so an adapter
 * that closes its spaces on stop leaves no thread behind. Every {@link #PERIODIC_TICKS} ticks
 * (about a second) it also runs a periodic task: the check that open spaces' files were not removed.
 */
final class CoarseClock {

    static final long TICK_MILLIS = 10;
    static final int PERIODIC_TICKS = 100;

    private final Runnable periodic;

    private volatile long millis = System.currentTimeMillis();
    private Thread ticker;

    CoarseClock(Runnable periodic) {
        this.periodic = periodic;
    }

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
            for (int tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
                millis = System.currentTimeMillis();
                Thread.sleep(TICK_MILLIS);
                if (tick % PERIODIC_TICKS == 0) {
                    periodic.run();
                }
            }
        } catch (InterruptedException stopped) {
            // released by the last space: end
        }
    }
}
