package io.futexra.testing;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.LockTimeoutException;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import io.futexra.testing.ChaosBoard.Section;
import io.futexra.testing.ChaosBoard.Shared;
import io.futexra.testing.ChaosBoard.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The chaos test's child: {@code chaos DIR SPACE STATE_DIR THREADS SEED CHILD_INDEX}. Each thread loops over a
 * random mix of a GREEDY lock, a FAIR lock, a read/write lock, a semaphore of
 * {@link #PERMITS} and an auto- and a manual-reset event, until the file {@code STATE_DIR/stop}
 * appears, while the test kills and stops its JVM at random. Every check it makes is an
 * invariant; a breach prints {@code VIOLATION ...} and counts on the {@link ChaosBoard}:
 * <ul>
 * <li>exclusive sections: the {@link ChaosBoard}'s kill-proof overlap detector and a plain
 *     counter; a section left dirty by a killed holder must be entered with
 *     {@code previousOwnerDied()};</li>
 * <li>the semaphore: concurrency never above its permits (checked at once and by the test);</li>
 * <li>deadlines: every timed wait returns within its timeout plus {@link #SLACK}, whether it
 *     acquired or timed out (the slack covers this JVM being stopped meanwhile).</li>
 * </ul>
 */
public final class ChaosWorker {

    public static final int PERMITS = 3;
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** The longest the test stops a JVM, plus scheduling noise on a loaded 2-CPU machine. */
    public static final Duration SLACK = Duration.ofSeconds(4);

    private final ChaosBoard board;
    private final int child;
    private final NamedLock lock;
    private final NamedLock fair;
    private final NamedReadWriteLock rw;
    private final NamedSemaphore sem;
    private final NamedEvent auto;
    private final NamedEvent manual;
    private final Path stop;

    private ChaosWorker(LockSpace space, Path state, int child) throws Exception {
        this.board = ChaosBoard.open(state.resolve("board"));
        this.child = child;
        lock = space.lock("chaos-lock");
        fair = space.lock("chaos-fair", LockOptions.fair());
        rw = space.readWriteLock("chaos-rw");
        sem = space.semaphore("chaos-sem", PERMITS);
        auto = space.event("chaos-auto", EventMode.AUTO_RESET);
        manual = space.event("chaos-manual", EventMode.MANUAL_RESET);
        stop = state.resolve("stop");
    }

    /** Entry point from {@link ChildMain}: {@code chaos DIR SPACE STATE_DIR THREADS SEED CHILD_INDEX}. */
    static void run(String[] args) throws Exception {
        LockSpace space = LockSpace.open(Path.of(args[1]), args[2]);
        ChaosWorker worker = new ChaosWorker(space, Path.of(args[3]), Integer.parseInt(args[6]));
        int threads = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]) ^ ProcessHandle.current().pid();
        Thread[] workers = new Thread[threads];
        long[] iterations = new long[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            SplittableRandom random = new SplittableRandom(seed * 31 + t);
            workers[t] = new Thread(() -> iterations[index] = worker.loop(random), "chaos-" + t);
            workers[t].start();
        }
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        long total = 0;
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            total += iterations[t];
        }
        System.out.println("STOPPED iterations=" + total);
    }

    private long loop(SplittableRandom random) {
        long n = 0;
        while (n % 32 != 0 || !Files.exists(stop)) {
            try {
                step(random);
            } catch (RuntimeException | Error e) {
                violation("unexpected " + e);
                e.printStackTrace(System.out);
            }
            n++;
            board.add(Tally.ITERATIONS, 1);
        }
        return n;
    }

    private void step(SplittableRandom random) {
        int op = random.nextInt(12);
        switch (op) {
            case 0, 1 -> exclusive(lock, Section.LOCK, null, random);
            case 2, 3 -> exclusive(fair, Section.FAIR, null, random);
            case 4 -> exclusive(rw.writeLock(), Section.WRITE, Shared.READ, random);
            case 5, 6 -> read(random);
            case 7, 8 -> permit(random);
            case 9 -> {
                board.add(Tally.SIGNALS_SENT, 1); // counted before: a kill in between loses one, never adds one
                auto.signal();
            }
            case 10 -> timed("await auto event", Duration.ofMillis(50), () -> {
                if (auto.await(Duration.ofMillis(50))) {
                    board.add(Tally.SIGNALS_PASSED, 1);
                }
            });
            default -> {
                if (random.nextBoolean()) {
                    manual.signal();
                    manual.reset();
                } else {
                    timed("await manual event", Duration.ofMillis(20), () -> manual.await(Duration.ofMillis(20)));
                }
            }
        }
    }

    private void exclusive(NamedLock target, Section section, Shared excludes, SplittableRandom random) {
        timed(target.toString(), TIMEOUT, () -> {
            try (Held held = target.acquire(TIMEOUT)) {
                String overlap = board.enterExclusive(section, child, excludes);
                if (overlap != null) {
                    violation("overlap: " + overlap);
                }
                boolean dirty = board.enterDirty(section);
                if (dirty && !held.previousOwnerDied()) {
                    violation(section + " was left dirty by a holder killed inside, but " + held
                            + " does not say the previous owner died");
                }
                if (held.previousOwnerDied()) {
                    board.add(Tally.RECOVERIES, 1);
                    if (dirty) {
                        board.add(Tally.DIRTY_RECOVERED, 1);
                    }
                }
                board.incrementPlain(section);
                board.done(section);
                hold(random);
                board.leaveClean(section);
                board.leaveExclusive(section, child);
            }
        });
    }

    private void read(SplittableRandom random) {
        timed("read " + rw, TIMEOUT, () -> {
            try (Held held = rw.readLock().acquire(TIMEOUT)) {
                int readers = board.enterShared(Shared.READ, child);
                board.max(Tally.MAX_READERS, readers);
                long writer = board.insideHolder(Section.WRITE);
                if (writer != 0 && !board.isDoomed((int) writer - 1)) {
                    violation("overlap: reader of child " + (child + 1) + " entered with writer child " + writer + " inside");
                }
                if (board.isDirty(Section.WRITE) && !held.previousOwnerDied()) {
                    violation("the write section was left dirty by a writer killed inside, but reader " + held
                            + " does not say so");
                }
                hold(random);
                board.leaveShared(Shared.READ, child);
            }
        });
    }

    private void permit(SplittableRandom random) {
        timed(sem.toString(), TIMEOUT, () -> {
            try (Held held = sem.acquire(TIMEOUT)) {
                int now = board.enterShared(Shared.PERMIT, child);
                board.max(Tally.MAX_PERMITS_IN_USE, now);
                if (now > PERMITS) {
                    violation(now + " holders of a " + PERMITS + "-permit semaphore");
                }
                if (held.previousOwnerDied()) {
                    board.add(Tally.RECOVERIES, 1);
                }
                hold(random);
                board.leaveShared(Shared.PERMIT, child);
            }
        });
    }

    /** Runs a timed wait; a timeout is allowed, returning later than timeout + slack is not. */
    private void timed(String what, Duration timeout, Runnable wait) {
        long start = System.nanoTime();
        try {
            wait.run();
        } catch (LockTimeoutException expired) {
            board.add(Tally.TIMEOUTS, 1);
        }
        long overshoot = (System.nanoTime() - start - timeout.toNanos()) / 1_000_000;
        board.max(Tally.MAX_OVERSHOOT_MILLIS, overshoot);
        if (overshoot > SLACK.toMillis()) {
            violation(what + " returned " + overshoot + " ms after its " + timeout + " deadline");
        }
    }

    private void violation(String what) {
        board.add(Tally.VIOLATIONS, 1);
        System.out.println("VIOLATION " + what);
        System.out.flush();
    }

    /** Stays in a section: mostly a short spin, sometimes a sleep, so kills often find holders inside. */
    private static void hold(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            LockSupport.parkNanos(random.nextLong(2_000_000));
        } else {
            busy(random.nextInt(50_000));
        }
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
