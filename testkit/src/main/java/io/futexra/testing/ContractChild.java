package io.futexra.testing;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The program the contract tests run in child JVMs, on whatever backend: the space is opened from
 * the arguments the contract gave ({@link SpaceOpener}), never from a backend this class knows.
 * Each command prints the lines the contract waits for; a failure prints {@code FAILED}, exits 1.
 *
 * <pre>
 * COMMAND N SPACE_ARG_1 .. SPACE_ARG_N ARGS...
 *
 * hammer LOCK VARIANT COUNTER_FILE PARTIES THREADS ITERATIONS MILLIS
 *     each thread: wait at the start barrier for PARTIES threads (all JVMs), then until ITERATIONS
 *     or MILLIS have passed: meet a partner (a bounded rendezvous), take the LockVariant hold,
 *     check overlap, plain-increment, release;
 *     print DONE iterations=COMPLETED (all threads of this JVM)
 * hold LOCK VARIANT                     take the LockVariant hold, print HELD token=T, sleep until killed
 * semhammer SEM PERMITS OWNER COUNTER_FILE PARTIES THREADS ITERATIONS MILLIS
 *     as hammer, but each pass takes a permit and counts itself in the shared section
 *     (the counter's concurrency high-water mark) and adds 1 to its atomic tally
 *     (OWNER: thread | process, which acquisition takes the permits)
 * holdpermit SEM PERMITS OWNER          take one permit, print HELD token=T, sleep until killed
 * rwhammer RWLOCK COUNTER_FILE PARTIES THREADS ITERATIONS MILLIS
 *     as hammer, but every 4th pass writes (exclusive, plain-incremented), the others read
 *     (shared, adding 1 to the tally); prints DONE iterations=WRITES reads=READS
 * holdread RWLOCK                       take the read side, print HELD token=T, sleep until killed
 * consume EVENT STOP_EVENT COUNTER_FILE THREADS
 *     print READY; each thread: awaitAny(auto-reset EVENT, manual STOP_EVENT) and add 1 to the
 *     tally per EVENT signal consumed, until STOP_EVENT; print CONSUMED count=C
 * signaln EVENT MODE N                  signal N times, print SIGNALED
 * awaitevent EVENT MODE                 print WAITING, await up to 120 s, print SIGNALED or TIMEOUT
 * </pre>
 */
public final class ContractChild {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** A permit owned by the acquiring thread ({@code acquire}). */
    public static final String THREAD = "thread";
    /** A permit owned by the process ({@code acquireForProcess}). */
    public static final String PROCESS = "process";

    private ContractChild() {
    }

    /** {@code COMMAND N SPACE_ARGS... ARGS...}: see the class comment. */
    public static void main(String[] args) {
        ChildMain.exitAfter(() -> {
            int n = Integer.parseInt(args[1]);
            LockSpace space = SpaceOpener.openFrom(Arrays.asList(args).subList(2, 2 + n));
            String[] a = Arrays.copyOfRange(args, 2 + n, args.length);
            switch (args[0]) {
                case "hammer" -> hammer(space, a);
                case "hold" -> held(LockVariant.valueOf(a[1]).acquire(space, a[0], WAIT));
                case "semhammer" -> semaphoreHammer(space, a);
                case "holdpermit" -> held(takePermit(space.semaphore(a[0], Integer.parseInt(a[1])), PROCESS.equals(a[2]), WAIT));
                case "rwhammer" -> readWriteHammer(space, a);
                case "holdread" -> held(space.readWriteLock(a[0]).readLock().acquire(WAIT));
                case "consume" -> consume(space, a);
                case "signaln" -> signal(space, a);
                case "awaitevent" -> awaitEvent(space, a);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        });
    }

    /** The arguments of {@code command} on the space {@code spaceArgs} (from the contract's {@code childSpaceArgs}). */
    public static String[] args(String command, List<String> spaceArgs, Object... commandArgs) {
        String[] all = new String[2 + spaceArgs.size() + commandArgs.length];
        all[0] = command;
        all[1] = Integer.toString(spaceArgs.size());
        for (int i = 0; i < spaceArgs.size(); i++) {
            all[2 + i] = spaceArgs.get(i);
        }
        for (int i = 0; i < commandArgs.length; i++) {
            all[2 + spaceArgs.size() + i] = String.valueOf(commandArgs[i]);
        }
        return all;
    }

    /** Takes a permit of {@code semaphore} for the process or for the calling thread, waiting up to {@code timeout}. */
    public static Held takePermit(NamedSemaphore semaphore, boolean forProcess, Duration timeout) {
        return forProcess ? semaphore.acquireForProcess(timeout) : semaphore.acquire(timeout);
    }

    /** Starts a child JVM running {@code ContractChild} with the given arguments (a contract's {@code startChild}). */
    public interface Starter {
        ChildJvm start(String... args);
    }

    /**
     * Starts {@code jvms} children with the same {@code args}, waits (up to {@code wait}) for each
     * one's {@code DONE} line and a clean exit, and returns the {@code DONE} lines.
     */
    public static List<String> runEach(Starter starter, int jvms, Duration wait, String... args) throws InterruptedException {
        List<ChildJvm> children = new ArrayList<>();
        List<String> done = new ArrayList<>();
        try {
            for (int p = 0; p < jvms; p++) {
                children.add(starter.start(args));
            }
            for (ChildJvm c : children) {
                done.add(c.awaitLine("DONE", wait));
                if (c.awaitExit(AwaitState.HANG_GUARD) != 0) {
                    throw new AssertionError("child " + c.pid() + " failed:\n" + c.transcript());
                }
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        return done;
    }

    /** The body of one pass of a hammering thread; returns whether it was the pass's counted kind. */
    private interface Pass {
        boolean run(int thread, long pass);
    }

    /**
     * PARTIES threads (across JVMs) start together at the barrier, then each runs passes until
     * ITERATIONS or until MILLIS have passed; the time box only ends the run, it decides nothing.
     * Before each pass a thread meets a partner ({@link SharedCounter#rendezvous}), so that
     * contenders that run at the same time reach the lock at the same moment.
     */
    private static long[] hammerLoop(SharedCounter counter, String[] a, int from, Pass pass) throws Exception {
        int parties = Integer.parseInt(a[from]);
        int threads = Integer.parseInt(a[from + 1]);
        long iterations = Long.parseLong(a[from + 2]);
        long boxNanos = Duration.ofMillis(Long.parseLong(a[from + 3])).toNanos();
        AtomicLong counted = new AtomicLong();
        AtomicLong others = new AtomicLong();
        ChildMain.runThreads(threads, t -> {
            counter.arriveAndAwait(parties);
            long end = System.nanoTime() + boxNanos;
            for (long i = 0; i < iterations && System.nanoTime() - end < 0; i++) {
                counter.rendezvous();
                (pass.run(t, i) ? counted : others).incrementAndGet();
            }
        });
        return new long[] {counted.get(), others.get()};
    }

    private static void hammer(LockSpace space, String[] a) throws Exception {
        LockVariant variant = LockVariant.valueOf(a[1]);
        SharedCounter counter = SharedCounter.open(Path.of(a[2]));
        long[] done = hammerLoop(counter, a, 3, (t, i) -> {
            try (Held held = variant.acquire(space, a[0], WAIT)) {
                counter.enterExclusive();
                counter.incrementPlain();
                counter.exitExclusive();
            }
            return true;
        });
        System.out.println("DONE iterations=" + done[0]);
    }

    private static void semaphoreHammer(LockSpace space, String[] a) throws Exception {
        NamedSemaphore semaphore = space.semaphore(a[0], Integer.parseInt(a[1]));
        boolean forProcess = PROCESS.equals(a[2]);
        SharedCounter counter = SharedCounter.open(Path.of(a[3]));
        long[] done = hammerLoop(counter, a, 4, (t, i) -> {
            try (Held permit = takePermit(semaphore, forProcess, WAIT)) {
                counter.enterShared();
                counter.addAtomic(1);
                Thread.onSpinWait();
                counter.exitShared();
            }
            return true;
        });
        System.out.println("DONE iterations=" + done[0]);
    }

    private static void readWriteHammer(LockSpace space, String[] a) throws Exception {
        NamedReadWriteLock rw = space.readWriteLock(a[0]);
        SharedCounter counter = SharedCounter.open(Path.of(a[1]));
        long[] done = hammerLoop(counter, a, 2, (t, i) -> {
            if ((i + t) % 4 == 0) {
                try (Held write = rw.writeLock().acquire(WAIT)) {
                    counter.enterExclusive();
                    counter.incrementPlain();
                    counter.exitExclusive();
                }
                return true;
            }
            try (Held read = rw.readLock().acquire(WAIT)) {
                counter.enterShared();
                counter.addAtomic(1);
                Thread.onSpinWait();
                counter.exitShared();
            }
            return false;
        });
        System.out.println("DONE iterations=" + done[0] + " reads=" + done[1]);
    }

    private static void held(Held held) throws InterruptedException {
        System.out.println("HELD token=" + held.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void consume(LockSpace space, String[] a) throws Exception {
        NamedEvent event = space.event(a[0], EventMode.AUTO_RESET);
        NamedEvent stop = space.event(a[1], EventMode.MANUAL_RESET);
        SharedCounter counter = SharedCounter.open(Path.of(a[2]));
        AtomicLong mine = new AtomicLong();
        System.out.println("READY");
        System.out.flush();
        ChildMain.runThreads(Integer.parseInt(a[3]), t -> {
            int which;
            while ((which = NamedEvent.awaitAny(WAIT, event, stop)) == 0) {
                counter.addAtomic(1);
                mine.incrementAndGet();
            }
            if (which != 1) {
                throw new AssertionError("neither a signal nor the stop event within " + WAIT);
            }
        });
        System.out.println("CONSUMED count=" + mine.get());
    }

    private static void signal(LockSpace space, String[] a) {
        NamedEvent event = space.event(a[0], EventMode.valueOf(a[1]));
        for (int i = Integer.parseInt(a[2]); i > 0; i--) {
            event.signal();
        }
        System.out.println("SIGNALED");
    }

    private static void awaitEvent(LockSpace space, String[] a) {
        NamedEvent event = space.event(a[0], EventMode.valueOf(a[1]));
        System.out.println("WAITING");
        System.out.flush();
        System.out.println(event.await(WAIT) ? "SIGNALED" : "TIMEOUT");
    }
}
