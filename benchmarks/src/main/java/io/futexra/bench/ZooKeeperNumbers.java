package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * The ZooKeeper backend's numbers (issue 13), on a real 3-node ensemble started in this JVM
 * (Curator's {@code TestingCluster} on loopback, 500 ms tick, so sessions may be 1 to 10 s):
 * <ol>
 * <li>uncontended acquire+release through the futex-ra {@code zookeeper:} backend, against raw
 *     Curator {@link InterProcessMutex} on the same ensemble with the same client settings, and
 *     against the shared-memory backend — one thread, the same loop for each;</li>
 * <li>kill -9 of a child JVM holding a lock → the time until a waiter in this JVM holds it, for
 *     session timeouts of 2, 4 and 8 s.</li>
 * </ol>
 * PostgreSQL's {@code SELECT ... FOR UPDATE} is measured by {@link BenchMain} when a JDBC URL is
 * given; this driver does not repeat it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.ZooKeeperNumbers [OUTPUT_DIR]
 * </pre>
 * Writes {@code zookeeper.md} into OUTPUT_DIR (default {@code benchmarks/results}).
 */
public final class ZooKeeperNumbers {

    private static final int WARMUP = 200;
    private static final int ROUNDS = 1000;
    private static final int SHM_ROUNDS = 1_000_000;

    private ZooKeeperNumbers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("hold")) {
            hold(URI.create(args[1]));
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("ZooKeeper backend: 3-node ensemble in one JVM on loopback (Curator"
                + " TestingCluster, tick 500 ms); " + Runtime.getRuntime().availableProcessors() + " CPUs; JDK "
                + Runtime.version() + "\n\n");
        try (TestingCluster ensemble = ensemble()) {
            ensemble.start();
            String connect = ensemble.getConnectString();
            acquireRelease(md, connect);
            ownerDeath(md, connect);
        }
        Files.writeString(out.resolve("zookeeper.md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("written: " + out.resolve("zookeeper.md"));
    }

    private static TestingCluster ensemble() {
        InstanceSpec[] specs = new InstanceSpec[3];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1);
        }
        return new TestingCluster(specs);
    }

    private static void acquireRelease(StringBuilder md, String connect) throws Exception {
        double[] futexRa;
        try (LockSpace space = LockSpace.open(URI.create("zookeeper://" + connect + "/bench/numbers?sessionTimeout=4s"))) {
            NamedLock lock = space.lock("pair");
            futexRa = timeZk(() -> {
                try (Held held = lock.acquire(Duration.ofSeconds(30))) {
                    // the empty critical section
                }
            });
        }
        double[] curator;
        try (CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(4000)
                .connectionTimeoutMs(5000).retryPolicy(new BoundedExponentialBackoffRetry(50, 1000, 10)).build()) {
            client.start();
            client.blockUntilConnected();
            InterProcessMutex mutex = new InterProcessMutex(client, "/bench/raw-curator/pair");
            curator = timeZk(() -> {
                if (!mutex.acquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("raw Curator mutex not acquired in 30 s");
                }
                mutex.release();
            });
        }
        double shmNanos;
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-zk-bench");
        try (LockSpace space = LockSpace.open(dir, "numbers")) {
            NamedLock lock = space.lock("pair");
            for (int i = 0; i < SHM_ROUNDS; i++) { // warm-up: JIT
                lock.acquire().close();
            }
            long start = System.nanoTime();
            for (int i = 0; i < SHM_ROUNDS; i++) {
                lock.acquire().close();
            }
            shmNanos = (System.nanoTime() - start) / (double) SHM_ROUNDS;
        } finally {
            LockSpace.remove(dir, "numbers");
            Files.deleteIfExists(dir);
        }
        md.append("### Uncontended acquire+release, one thread (").append(ROUNDS).append(" pairs after ").append(WARMUP)
                .append(" warm-up)\n\n| | mean µs | median µs | p99 µs | vs raw Curator |\n|---|---|---|---|---|\n");
        row(md, "futex-ra `zookeeper:` NamedLock", futexRa, curator[0]);
        row(md, "raw Curator InterProcessMutex", curator, curator[0]);
        md.append(String.format(Locale.ROOT, "| futex-ra `shm:` NamedLock (same host only) | %.3f | | | %.5f× |%n%n",
                shmNanos / 1000, shmNanos / 1000 / curator[0]));
    }

    /** Times {@code pair} ROUNDS times after WARMUP: mean, median, p99 in µs. */
    private static double[] timeZk(Pair pair) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            pair.run();
        }
        long[] took = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            pair.run();
            took[i] = System.nanoTime() - t0;
        }
        double mean = Arrays.stream(took).average().orElse(0) / 1000;
        Arrays.sort(took);
        return new double[] {mean, took[ROUNDS / 2] / 1000.0, took[ROUNDS * 99 / 100] / 1000.0};
    }

    private static void row(StringBuilder md, String what, double[] t, double baselineMean) {
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f× |%n", what, t[0], t[1], t[2],
                t[0] / baselineMean));
    }

    /** One acquire+release. */
    private interface Pair {
        void run() throws Exception;
    }

    private static void ownerDeath(StringBuilder md, String connect) throws Exception {
        md.append("### kill -9 of a holder → next holder (a waiter in another JVM)\n\n")
                .append("| session timeout | kill → next holder, ms | previousOwnerDied |\n|---|---|---|\n");
        for (int seconds : new int[] {2, 4, 8}) {
            URI uri = URI.create("zookeeper://" + connect + "/bench/death-" + seconds + "?sessionTimeout=" + seconds + "s");
            Process holder = Children.start(ZooKeeperNumbers.class, "hold", uri.toString());
            try (LockSpace space = LockSpace.open(URI.create(uri + "&connectionTimeout=6s"))) {
                String line = Children.readLine(holder);
                if (!line.startsWith("held")) {
                    throw new IllegalStateException("holder said: " + line);
                }
                NamedLock lock = space.lock("victim");
                long killed = System.nanoTime();
                holder.destroyForcibly(); // SIGKILL
                try (Held next = lock.acquire(Duration.ofSeconds(60))) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                    md.append("| ").append(seconds).append(" s | ").append(ms).append(" | ")
                            .append(next.previousOwnerDied()).append(" |\n");
                }
            } finally {
                holder.destroyForcibly();
                holder.waitFor();
            }
        }
        md.append('\n');
    }

    /** The child: holds the lock "victim" until killed. */
    private static void hold(URI uri) throws Exception {
        try (LockSpace space = LockSpace.open(uri)) {
            Held held = space.lock("victim").acquire(Duration.ofSeconds(60));
            System.out.println("held " + held.fencingToken());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
