package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.jca.ConnectionLock;
import io.futexra.jca.FutexManagedConnectionFactory;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Uncontended acquire + release costs in <em>CPU time of the measuring thread</em>, for a machine
 * too busy for JMH's wall-clock figures: time the thread spends preempted does not count, so the
 * ratios between locks stay readable when other processes take the CPUs (cache pollution by them
 * still does). Each lock runs {@code ROUNDS} rounds of {@code OPS} operations, interleaved with the
 * others, after a warm-up; the median round is reported, with the ratio to {@code NamedLock}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.CpuCosts [OPS [ROUNDS]]
 * </pre>
 */
public final class CpuCosts {

    private static int shared;

    private CpuCosts() {
    }

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-cpu");
        FutexManagedConnectionFactory mcf = new FutexManagedConnectionFactory();
        mcf.setDirectory(dir.toString());
        mcf.setSpace("cpu-jca");
        try (LockSpace space = LockSpace.open(dir, "cpu");
             LockConnection connection = ((LockFactory) mcf.createConnectionFactory()).getConnection()) {
            NamedLock lock = space.lock("lock");
            NamedLock fair = space.lock("fair", LockOptions.fair());
            NamedReadWriteLock rw = space.readWriteLock("rw");
            ConnectionLock connectionLock = connection.lock("lock");
            ReentrantLock reentrant = new ReentrantLock();
            Duration second = Duration.ofSeconds(1);
            Map<String, Runnable> locks = new LinkedHashMap<>();
            locks.put("reentrantLock", () -> {
                reentrant.lock();
                try {
                    shared++;
                } finally {
                    reentrant.unlock();
                }
            });
            locks.put("namedLock", () -> run(lock.acquire()));
            locks.put("namedLockFair", () -> run(fair.acquire()));
            locks.put("namedReadLock", () -> run(rw.readLock().acquire()));
            locks.put("namedWriteLock", () -> run(rw.writeLock().acquire()));
            locks.put("namedLockForProcess", () -> run(lock.acquireForProcess(second)));
            locks.put("lockConnection (kept open)", () -> run(connectionLock.acquire(second)));
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<String, long[]> nanos = new LinkedHashMap<>();
            for (String name : locks.keySet()) {
                nanos.put(name, new long[rounds]);
            }
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (Map.Entry<String, Runnable> e : locks.entrySet()) {
                    Runnable op = e.getValue();
                    long start = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        op.run();
                    }
                    long spent = mx.getCurrentThreadCpuTime() - start;
                    if (r >= 0) {
                        nanos.get(e.getKey())[r] = spent;
                    }
                }
            }
            double named = median(nanos.get("namedLock")) / ops;
            System.out.println("| lock | CPU ns/op (median of " + rounds + " rounds of " + ops + ") | × namedLock |");
            System.out.println("|---|---:|---:|");
            for (Map.Entry<String, long[]> e : nanos.entrySet()) {
                double ns = median(e.getValue()) / ops;
                System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.2f |", e.getKey(), ns, ns / named));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(Held held) {
        try (held) {
            shared++;
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
