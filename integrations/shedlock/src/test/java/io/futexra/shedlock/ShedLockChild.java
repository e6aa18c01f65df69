package io.futexra.shedlock;

import io.futexra.LockSpace;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
