package io.futexra.shedlock;

import io.futexra.LockSpace;
import io.futexra.testing.CallerThreads;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;

/**
 * The program of the child JVMs in {@link FutexLockProviderTest}: a real
 * {@link DefaultLockingTaskExecutor} over a {@link FutexLockProvider}, task "job".
 *
 * <pre>
 * runs DIR SPACE COUNTER_FILE THREADS ATTEMPTS
 *     each thread tries ATTEMPTS times; a run checks overlap and plain-increments the counter;
 *     prints DONE runs=R skipped=S
 * atleast DIR SPACE MILLIS   one run with lockAtLeastFor MILLIS that ends at once; prints
 *     ENDED until=EPOCH_MILLIS (the lockAtLeastUntil instant), then sleeps until killed
 * throws DIR SPACE           one run whose task throws; prints THREW, then sleeps until killed
 * hang DIR SPACE             one run whose task prints RUNNING token=T and never ends
 * ticks DIR SPACE COUNTER_FILE TICKS PERIOD_MS START_FILE
 *     after a warm-up run of another task, prints READY and waits for START_FILE to appear (the
 *     parent moves it into place once every child is ready) holding START, epoch millis; then a
 *     scheduler (one platform thread, for the timing)
 *     starts, at START + k × PERIOD for each k below TICKS not yet past, a virtual thread that runs
 *     the task with lockAtLeastFor half the PERIOD (two JVMs' ticks may then be up to that far
 *     apart); a run checks overlap and plain-increments the counter; prints
 *     DONE ticks=k,k,... late=MS (the latest start of a run after its tick) once the last tick's
 *     period is over
 * </pre>
 */
public final class ShedLockChild {

    static final String TASK = "job";

    private ShedLockChild() {
    }

    public static void main(String[] args) {
        ChildMain.exitAfter(() -> {
            LockingTaskExecutor executor = new DefaultLockingTaskExecutor(
                    new FutexLockProvider(LockSpace.open(Path.of(args[1]), args[2])));
            switch (args[0]) {
                case "runs" -> runs(executor, args);
                case "atleast" -> atLeast(executor, Duration.ofMillis(Long.parseLong(args[3])));
                case "throws" -> throwing(executor);
                case "ticks" -> ticks(executor, SharedCounter.open(Path.of(args[3])), Integer.parseInt(args[4]),
                        Long.parseLong(args[5]), Path.of(args[6]));
                case "hang" -> executor.executeWithLock((Runnable) () -> {
                    System.out.println("RUNNING token=" + TaskLock.current().orElseThrow().fencingToken());
                    System.out.flush();
                    sleepForever();
                }, config(Duration.ZERO));
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        });
    }

    static LockConfiguration config(Duration lockAtLeastFor) {
        return new LockConfiguration(ClockProvider.now(), TASK, Duration.ofMinutes(10), lockAtLeastFor);
    }

    private static void runs(LockingTaskExecutor executor, String[] args) throws Exception {
        SharedCounter counter = SharedCounter.open(Path.of(args[3]));
        int attempts = Integer.parseInt(args[5]);
        AtomicLong runs = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        ChildMain.runThreads(Integer.parseInt(args[4]), t -> {
            for (int i = 0; i < attempts; i++) {
                LockingTaskExecutor.TaskResult<Boolean> result = executor.executeWithLock(() -> {
                    counter.enterExclusive();
                    counter.incrementPlain();
                    Thread.sleep(0, 200_000); // a short task, so that others find it running
                    counter.exitExclusive();
                    return true;
                }, config(Duration.ZERO));
                (result.wasExecuted() ? runs : skipped).incrementAndGet();
            }
        });
        System.out.println("DONE runs=" + runs.get() + " skipped=" + skipped.get());
    }

    private static void ticks(LockingTaskExecutor executor, SharedCounter counter, int ticks, long periodMillis,
                              Path startFile) throws Exception {
        ThreadFactory virtual = CallerThreads.virtualFactory("tick");
        Thread warmUp = virtual.newThread(() -> executor.executeWithLock((Runnable) () -> { },
                new LockConfiguration(ClockProvider.now(), "warm-up", Duration.ofMinutes(1), Duration.ZERO)));
        warmUp.start();
        warmUp.join();
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(startFile)) {
            Thread.sleep(10);
        }
        long startEpochMillis = Long.parseLong(Files.readString(startFile).trim());
        Duration lockAtLeastFor = Duration.ofMillis(periodMillis / 2);
        AtomicLong late = new AtomicLong();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<Thread> runners = Collections.synchronizedList(new ArrayList<>());
        long now = System.currentTimeMillis();
        for (int k = 0; k < ticks; k++) {
            long at = startEpochMillis + k * periodMillis;
            if (at < now) {
                continue; // this JVM started late: the others run the ticks it missed
            }
            int tick = k;
            scheduler.schedule(() -> {
                Thread runner = virtual.newThread(() -> {
                    try {
                        CallerThreads.checkCaller();
                        if (!CallerThreads.isVirtual(Thread.currentThread())) {
                            throw new AssertionError("not a virtual thread: " + Thread.currentThread());
                        }
                        executor.executeWithLock((Runnable) () -> {
                            counter.enterExclusive();
                            counter.incrementPlain();
                            ran.add(tick);
                            late.accumulateAndGet(System.currentTimeMillis() - at, Math::max);
                            counter.exitExclusive();
                        }, config(lockAtLeastFor));
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                runners.add(runner);
                runner.start();
            }, at - now, TimeUnit.MILLISECONDS);
        }
        scheduler.shutdown();
        if (!scheduler.awaitTermination(ticks * periodMillis + 60_000, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the scheduler did not finish");
        }
        for (Thread t : List.copyOf(runners)) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a tick failed", failure.get());
        }
        // live on, as an application does, until the last tick's period is over: this JVM's death
        // would free a lock it keeps for lockAtLeastFor, and a late JVM would run that tick again
        Thread.sleep(Math.max(0, startEpochMillis + ticks * periodMillis - System.currentTimeMillis()));
        StringBuilder list = new StringBuilder();
        for (int tick : ran) {
            list.append(list.length() == 0 ? "" : ",").append(tick);
        }
        System.out.println("DONE ticks=" + list + " late=" + late.get());
    }

    private static void atLeast(LockingTaskExecutor executor, Duration lockAtLeastFor) throws Throwable {
        LockConfiguration config = config(lockAtLeastFor);
        LockingTaskExecutor.TaskResult<Boolean> result = executor.executeWithLock(() -> true, config);
        if (!result.wasExecuted()) {
            throw new AssertionError("the first run was refused");
        }
        System.out.println("ENDED until=" + config.getLockAtLeastUntil().toEpochMilli());
        System.out.flush();
        sleepForever();
    }

    private static void throwing(LockingTaskExecutor executor) {
        try {
            executor.executeWithLock((Runnable) () -> {
                throw new IllegalStateException("the task failed");
            }, config(Duration.ZERO));
            throw new AssertionError("the task's exception was lost");
        } catch (IllegalStateException expected) {
            System.out.println("THREW");
            System.out.flush();
        }
        sleepForever();
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
