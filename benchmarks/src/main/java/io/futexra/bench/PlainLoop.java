package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Uncontended acquire + release the way a user's code runs it: a plain loop in an ordinary
 * method, no benchmark harness, {@code try (Held h = lock.acquire()) { sink += h.fencingToken(); }}
 * against {@link ReentrantLock} and {@code synchronized} doing the same amount of work, in the same
 * JVM, in alternating rounds (each round runs every loop once, in turn, so a noisy neighbour
 * slows all of them alike). Times are the thread's CPU time, so that the other processes of a
 * shared machine count less (they still cost caches and CPU frequency). Reports the median ns/op
 * per loop and its ratio to {@code ReentrantLock}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.PlainLoop [ROUNDS [OPS_PER_ROUND [LOOP,...]]]
 * </pre>
 * (LOOP: a name below with {@code _} for spaces; {@code ReentrantLock} and {@code synchronized} always run.)
 *
 * Prints one table in Markdown, then one line per loop: {@code RESULT name medianNs minNs maxNs}.
 */
public final class PlainLoop {

    /** The loops, in the order each round runs them. */
    static final String[] NAMES = {"ReentrantLock", "synchronized", "NamedLock", "NamedLock write lock",
        "NamedLock read lock", "NamedSemaphore"};

    private static long sink;

    private PlainLoop() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        List<String> loops = new ArrayList<>(List.of(NAMES));
        if (args.length > 2) {
            List<String> only = List.of(args[2].replace('_', ' ').split(","));
            loops.removeIf(name -> !name.equals("ReentrantLock") && !name.equals("synchronized") && !only.contains(name));
        }
        Map<String, double[]> ns = run(rounds, ops, loops);
        System.out.print(table(ns));
        for (Map.Entry<String, double[]> e : ns.entrySet()) {
            double[] s = e.getValue();
            System.out.println(String.format(Locale.ROOT, "RESULT %s %.2f %.2f %.2f", e.getKey().replace(' ', '_'),
                    median(s), s[0], s[s.length - 1]));
        }
    }

    /** Runs the loops: a warm-up of a third of {@code rounds}, then {@code rounds} measured; ns/op sorted per loop. */
    static Map<String, double[]> run(int rounds, int ops, List<String> loops) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-plain");
        Map<String, double[]> ns = new LinkedHashMap<>();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (LockSpace space = LockSpace.open(dir, "plain")) {
            NamedLock lock = space.lock("plain");
            NamedReadWriteLock rw = space.readWriteLock("plain-rw");
            NamedSemaphore semaphore = space.semaphore("plain-sem", 4);
            ReentrantLock reentrant = new ReentrantLock();
            Object monitor = new Object();
            for (String name : loops) {
                ns.put(name, new double[rounds]);
            }
            int warmup = Math.max(3, rounds / 3);
            for (int r = -warmup; r < rounds; r++) {
                for (String name : loops) {
                    long start = cpu.getCurrentThreadCpuTime();
                    switch (name) {
                        case "ReentrantLock" -> reentrantLoop(reentrant, ops);
                        case "synchronized" -> synchronizedLoop(monitor, ops);
                        case "NamedLock" -> namedLoop(lock, ops);
                        case "NamedLock write lock" -> writeLoop(rw.writeLock(), ops);
                        case "NamedLock read lock" -> readLoop(rw.readLock(), ops);
                        default -> semaphoreLoop(semaphore, ops);
                    }
                    long elapsed = cpu.getCurrentThreadCpuTime() - start;
                    if (r >= 0) {
                        ns.get(name)[r] = (double) elapsed / ops;
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        ns.values().forEach(Arrays::sort);
        return ns;
    }

    static String table(Map<String, double[]> ns) {
        double reentrant = median(ns.get("ReentrantLock"));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "JDK %s: median of %d alternating rounds (min–max), thread CPU ns/op%n%n| loop | ns/op | min–max | × ReentrantLock |%n"
                        + "|---|---:|---:|---:|%n", Runtime.version(), ns.get("ReentrantLock").length));
        for (Map.Entry<String, double[]> e : ns.entrySet()) {
            double[] s = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f–%.1f | %.2f |%n", e.getKey(), median(s), s[0],
                    s[s.length - 1], median(s) / reentrant));
        }
        return md.toString();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void namedLoop(NamedLock lock, int ops) {
        for (int i = 0; i < ops; i++) {
            try (Held h = lock.acquire()) {
                sink += h.fencingToken();
            }
        }
    }

    /** {@link #namedLoop}'s body again, so that each call site sees one class of lock, as in a user's code. */
    private static void writeLoop(NamedLock lock, int ops) {
        for (int i = 0; i < ops; i++) {
            try (Held h = lock.acquire()) {
                sink += h.fencingToken();
            }
        }
    }

    private static void readLoop(NamedLock lock, int ops) {
        for (int i = 0; i < ops; i++) {
            try (Held h = lock.acquire()) {
                sink += h.fencingToken();
            }
        }
    }

    private static void semaphoreLoop(NamedSemaphore semaphore, int ops) {
        for (int i = 0; i < ops; i++) {
            try (Held h = semaphore.acquire()) {
                sink += h.fencingToken();
            }
        }
    }

    /** The same work as {@link #namedLoop}: a counter stands in for the fencing token. */
    private static void reentrantLoop(ReentrantLock lock, int ops) {
        long token = 0;
        for (int i = 0; i < ops; i++) {
            lock.lock();
            try {
                sink += ++token;
            } finally {
                lock.unlock();
            }
        }
    }

    private static void synchronizedLoop(Object monitor, int ops) {
        long token = 0;
        for (int i = 0; i < ops; i++) {
            synchronized (monitor) {
                sink += ++token;
            }
        }
    }
}
