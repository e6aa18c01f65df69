package io.futexra.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One comparison at a time, for work on a single figure (the full set is {@link BenchMain}'s):
 * the contended drivers for chosen kinds, or the kill -9 latency, printed as one line each.
 * Uncontended costs go through JMH's own main with a regex instead.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.Focus contended SECONDS PROCESSES KIND...
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.Focus owner-death ROUNDS
 * java -jar benchmarks/target/benchmarks.jar 'UncontendedBenchmark.(namedLock|namedReadLock)$' -f 1 -wi 3 -i 3 -w 1 -r 1
 * </pre>
 */
public final class Focus {

    private Focus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("contended") && args.length >= 4 || args[0].equals("owner-death"))) {
            System.err.println("usage: Focus contended SECONDS PROCESSES KIND... | Focus owner-death ROUNDS"
                    + " (kinds: " + Contended.KINDS + ")");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-focus");
        try {
            if (args[0].equals("contended")) {
                double seconds = Double.parseDouble(args[1]);
                int processes = Integer.parseInt(args[2]);
                for (int k = 3; k < args.length; k++) {
                    Contended.Result r = Contended.run(dir, args[k], processes, seconds);
                    System.out.println(String.format(Locale.ROOT, "%s %d processes: %.3f Mops/s, counter exact: %s,"
                            + " machine CPU busy %.0f%%", r.kind(), processes, r.opsPerSecond() / 1e6,
                            r.exact() ? "yes" : "NO", r.machineBusy() * 100));
                }
            } else {
                Latency.Samples s = Latency.ownerDeath(dir, Integer.parseInt(args[1]));
                System.out.println(String.format(Locale.ROOT, "%s: %d samples, median %.1f µs, p90 %.1f µs, max %.1f µs",
                        s.name(), s.nanos().length, s.percentile(0.5) / 1e3, s.percentile(0.9) / 1e3,
                        s.nanos()[s.nanos().length - 1] / 1e3));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
