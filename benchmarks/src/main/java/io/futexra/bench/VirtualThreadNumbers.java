package io.futexra.bench;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads against platform threads, side by side in one JVM (Java 21+), a simple driver
 * rather than JMH:
 * <ol>
 * <li>uncontended {@code acquire} + {@code close} of one lock, in alternating rounds on a platform
 *     thread and on a virtual thread (median ns per pair);</li>
 * <li>hand-off latency between two JVMs: ping-pong on two auto-reset events, a virtual thread at
 *     each end, then platform threads at each end (median round trip / 2);</li>
 * <li>the waiter thread's CPU time while a virtual thread waits 10 s for an event that never
 *     comes (the waiter asleep in the kernel for it).</li>
 * </ol>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.futexra.bench.VirtualThreadNumbers DIR}
 * with a Java 21+ {@code java}; the other JVM of the ping-pong is this class again ({@code pong}).
 */
public final class VirtualThreadNumbers {

    private static final int ROUNDS = 7;
    private static final int PAIRS = 2_000_000;
    private static final int PINGS = 20_000;

    private VirtualThreadNumbers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("uncontended")) {
            try (LockSpace space = LockSpace.open(Files.createDirectories(Path.of(args[0])), "vt")) {
                uncontended(space);
            }
            return;
        }
        if (args.length > 0 && args[0].equals("pong")) {
            pong(Path.of(args[1]), Boolean.parseBoolean(args[2]));
            return;
        }
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/dev/shm/futex-ra-vt-bench"));
        try (LockSpace space = LockSpace.open(dir, "vt")) {
            uncontended(space);
            for (boolean virtual : new boolean[] {true, false}) {
                handOff(space, dir, virtual);
            }
            idleWaiter(space);
        }
    }

    private static void uncontended(LockSpace space) throws Exception {
        NamedLock lock = space.lock("uncontended");
        long[] platform = new long[ROUNDS];
        long[] virtual = new long[ROUNDS];
        long[] forProcess = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            platform[r] = on(false, () -> pairs(lock, false));
            virtual[r] = on(true, () -> pairs(lock, false));
            forProcess[r] = on(false, () -> pairs(lock, true));
        }
        Arrays.sort(platform);
        Arrays.sort(virtual);
        Arrays.sort(forProcess);
        double p = platform[ROUNDS / 2] / (double) PAIRS;
        double v = virtual[ROUNDS / 2] / (double) PAIRS;
        double f = forProcess[ROUNDS / 2] / (double) PAIRS;
        System.out.printf("uncontended acquire+close: platform thread %.1f ns, virtual thread %.1f ns (ratio %.2f);"
                + " acquireForProcess+close on a platform thread %.1f ns (median of %d alternating rounds of %d)%n",
                p, v, v / p, f, ROUNDS, PAIRS);
    }

    private static long pairs(NamedLock lock, boolean forProcess) {
        long start = System.nanoTime();
        for (int i = 0; i < PAIRS; i++) {
            try (Held held = forProcess ? lock.acquireForProcess(Duration.ZERO) : lock.acquire()) {
                if (held.fencingToken() == 0) {
                    throw new AssertionError();
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static void handOff(LockSpace space, Path dir, boolean virtual) throws Exception {
        NamedEvent ping = space.event("ping-" + virtual, EventMode.AUTO_RESET);
        NamedEvent pong = space.event("pong-" + virtual, EventMode.AUTO_RESET);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VirtualThreadNumbers.class.getName(), "pong", dir.toString(),
                Boolean.toString(virtual)).inheritIO().start();
        try {
            long[] trips = on(virtual, () -> {
                long[] t = new long[PINGS];
                if (!pong.await(Duration.ofSeconds(60))) { // the other side is ready
                    throw new AssertionError("no pong");
                }
                for (int i = 0; i < PINGS; i++) {
                    long start = System.nanoTime();
                    ping.signal();
                    if (!pong.await(Duration.ofSeconds(10))) {
                        throw new AssertionError("no pong");
                    }
                    t[i] = System.nanoTime() - start;
                }
                return t;
            });
            Arrays.sort(trips);
            System.out.printf("hand-off between two JVMs (event ping-pong), %s threads at both ends: median %.1f us,"
                    + " p99 %.1f us one way (round trip / 2, %d trips)%n", virtual ? "virtual" : "platform",
                    trips[PINGS / 2] / 2_000.0, trips[PINGS * 99 / 100] / 2_000.0, PINGS);
        } finally {
            other.destroy();
            other.waitFor();
        }
    }

    private static void pong(Path dir, boolean virtual) throws Exception {
        try (LockSpace space = LockSpace.open(dir, "vt")) {
            NamedEvent ping = space.event("ping-" + virtual, EventMode.AUTO_RESET);
            NamedEvent pong = space.event("pong-" + virtual, EventMode.AUTO_RESET);
            on(virtual, () -> {
                pong.signal();
                for (int i = 0; i < PINGS; i++) {
                    if (!ping.await(Duration.ofSeconds(10))) {
                        throw new AssertionError("no ping");
                    }
                    pong.signal();
                }
                return null;
            });
        }
    }

    private static void idleWaiter(LockSpace space) throws Exception {
        NamedEvent never = space.event("never", EventMode.MANUAL_RESET);
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        virtualFactory().newThread(() -> waited.complete(never.await(Duration.ofSeconds(11)))).start();
        Thread.sleep(500);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> waiters = new ArrayList<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("futex-ra-waiter")) {
                waiters.add(info.getThreadId());
            }
        }
        long before = 0;
        for (long id : waiters) {
            before += threads.getThreadCpuTime(id);
        }
        Thread.sleep(10_000);
        long after = 0;
        for (long id : waiters) {
            after += threads.getThreadCpuTime(id);
        }
        System.out.printf("waiter threads (%d) while a virtual thread waits 10 s for an event: %.3f ms CPU%n",
                waiters.size(), (after - before) / 1e6);
        if (waited.get()) {
            throw new AssertionError("the event was never signaled");
        }
    }

    private static <T> T on(boolean virtual, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        };
        Thread t = virtual ? virtualFactory().newThread(body) : new Thread(body);
        t.start();
        return result.get();
    }

    private static ThreadFactory virtualFactory() {
        try {
            Object builder = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual"))).invoke();
            MethodHandle factory = MethodHandles.publicLookup().findVirtual(Class.forName("java.lang.Thread$Builder"),
                    "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(builder);
        } catch (Throwable t) {
            throw new IllegalStateException("virtual threads need Java 21+; this is " + Runtime.version(), t);
        }
    }
}
