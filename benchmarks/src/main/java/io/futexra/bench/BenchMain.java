package io.futexra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every comparison in one go and writes {@code results.md} (tables, with ratios),
 * {@code results.json} (raw numbers) and SVG charts ({@code plain-loop.svg}, {@code uncontended.svg},
 * {@code contended.svg}, {@code latency.svg}; see {@link Charts}) into the output directory.
 *
 * <p>The plain-loop comparison ({@link PlainLoop}) runs in a child JVM of each Java named by
 * {@code -Dfutexra.bench.javas} (paths of {@code java}, comma-separated; default: this JVM's).
 *
 * <pre>
 * java -jar benchmarks.jar ... is JMH's own main; this one is:
 * java [-Dfutexra.jdbc.url=jdbc:postgresql://...] -cp benchmarks/target/benchmarks.jar \
 *      io.futexra.bench.BenchMain quick|full OUTPUT_DIR [C_BINARY]
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length > 0 && args[0].equals("full");
        Path out = Path.of(args.length > 1 ? args[1] : "benchmarks/results");
        Path cBinary = args.length > 2 ? Path.of(args[2]) : null;
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-bench");
        StringBuilder md = new StringBuilder();
        StringBuilder json = new StringBuilder("{\n");
        try {
            String machine = header(md, json, full);
            plainLoop(md, json, full, out, machine);
            uncontended(md, json, full, out, machine);
            contended(md, json, dir, full, cBinary, out, machine);
            latencies(md, json, dir, full, out, machine);
            String jdbc = System.getProperty("futexra.jdbc.url");
            if (jdbc != null) {
                rowLocks(md, json, dir, jdbc, full);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        json.append("  \"end\": \"").append(Instant.now()).append("\"\n}\n");
        Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"), json, StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.json"));
    }

    /** Writes the run's header; returns the machine and date line the charts carry. */
    private static String header(StringBuilder md, StringBuilder json, boolean full) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String jdk = System.getProperty("java.vm.name") + " " + Runtime.version();
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(cpu)
                .append(", Linux ").append(kernel).append("; JDK: ").append(jdk).append("; mode: ")
                .append(full ? "full" : "quick").append("; date: ").append(Instant.now()).append("\n\n");
        json.append("  \"machine\": {\"cpus\": ").append(Runtime.getRuntime().availableProcessors())
                .append(", \"cpu\": \"").append(cpu).append("\", \"kernel\": \"").append(kernel)
                .append("\", \"jdk\": \"").append(jdk).append("\", \"mode\": \"").append(full ? "full" : "quick")
                .append("\", \"start\": \"").append(Instant.now()).append("\"},\n");
        return Runtime.getRuntime().availableProcessors() + " CPUs, " + cpu + ", Linux " + kernel + "; " + jdk + "; "
                + (full ? "full" : "quick") + " run of " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }

    /**
     * {@link PlainLoop}: for each Java of {@code -Dfutexra.bench.javas}, one child JVM per futex-ra
     * loop, each beside {@code ReentrantLock} and {@code synchronized} (a JVM that runs one kind of
     * lock, as a user's usually does: the JIT's profile is not shared with the others).
     */
    private static void plainLoop(StringBuilder md, StringBuilder json, boolean full, Path out, String machine)
            throws Exception {
        String[] javas = System.getProperty("futexra.bench.javas",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()).split(",");
        List<String> loops = List.of("NamedLock", "NamedLock write lock", "NamedLock read lock", "NamedSemaphore");
        md.append("### Uncontended, in a plain loop (`try (Held h = lock.acquire()) { sink += h.fencingToken(); }`)\n\n")
                .append("One JVM per futex-ra loop, beside `ReentrantLock` and `synchronized` in alternating rounds; median"
                        + " thread CPU ns/op of ").append(full ? 21 : 11).append(" rounds (min–max).\n\n")
                .append("| JDK | loop | ns/op | min–max | `ReentrantLock` | `synchronized` | × `ReentrantLock` |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        json.append("  \"plainLoopNsPerOp\": {");
        List<String> jdks = new ArrayList<>();
        Map<String, double[]> byLoop = new LinkedHashMap<>();
        String sep = "";
        for (int j = 0; j < javas.length; j++) {
            String jdk = javas[j];
            json.append(sep).append("\"").append(j).append("\": {");
            String inner = "";
            for (String loop : loops) {
                Process p = new ProcessBuilder(javas[j], "-Xms256m", "-Xmx256m", "-XX:+UseG1GC",
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        PlainLoop.class.getName(), full ? "21" : "11", "5000000", loop.replace(' ', '_'))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                Children.await(p);
                jdk = output.lines().filter(l -> l.startsWith("JDK ")).findFirst()
                        .map(l -> l.substring(4, l.indexOf(':'))).orElse(javas[j]);
                Map<String, String[]> results = new LinkedHashMap<>();
                output.lines().filter(l -> l.startsWith("RESULT")).map(l -> l.split(" "))
                        .forEach(f -> results.put(f[1].replace('_', ' '), f));
                String[] mine = results.get(loop);
                double ns = Double.parseDouble(mine[2]);
                double reentrant = Double.parseDouble(results.get("ReentrantLock")[2]);
                double monitor = Double.parseDouble(results.get("synchronized")[2]);
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s–%s | %.1f | %.1f | %.2f |%n", jdk, loop, ns,
                        mine[3], mine[4], reentrant, monitor, ns / reentrant));
                byLoop.computeIfAbsent(loop, k -> new double[javas.length])[j] = ns;
                byLoop.computeIfAbsent("ReentrantLock", k -> new double[javas.length])[j] = reentrant;
                byLoop.computeIfAbsent("synchronized", k -> new double[javas.length])[j] = monitor;
                json.append(inner).append(String.format(Locale.ROOT,
                        "\"%s\": {\"ns\": %.2f, \"reentrantLock\": %.2f, \"synchronized\": %.2f}", loop, ns, reentrant,
                        monitor));
                inner = ", ";
            }
            json.append(", \"jdk\": \"").append(jdk).append("\"}");
            jdks.add(jdk);
            sep = ", ";
        }
        json.append("},\n");
        md.append("\n`ReentrantLock` and `synchronized` are from the JVM that ran the NamedLock loop; a plain loop lets"
                + " the JIT coarsen `synchronized` across iterations.\n\n");
        List<Charts.Row> rows = new ArrayList<>();
        byLoop.forEach((loop, ns) -> rows.add(new Charts.Row(loop, ns)));
        Charts.bars(out.resolve("plain-loop.svg"), "Uncontended acquire + release in a plain loop (median thread CPU ns/op)",
                machine, "ns per acquire + release", jdks.stream().map(j -> "JDK " + j).toList(), rows, false);
    }

    private static void uncontended(StringBuilder md, StringBuilder json, boolean full, Path out, String machine)
            throws Exception {
        Options options = new OptionsBuilder()
                .include(UncontendedBenchmark.class.getName())
                .forks(full ? 3 : 1)
                .warmupIterations(full ? 5 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(full ? 5 : 3).measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED")
                .result(out.resolve("jmh.json").toString())
                .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            scores.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double reentrant = scores.getOrDefault("reentrantLock", new double[] {Double.NaN})[0];
        double named = scores.getOrDefault("namedLock", new double[] {Double.NaN})[0];
        md.append("### Uncontended acquire + release (one thread, JMH, ns/op)\n\n")
                .append("| lock | ns/op | ± | × ReentrantLock | NamedLock is × faster |\n|---|---:|---:|---:|---:|\n");
        json.append("  \"uncontendedNsPerOp\": {");
        String sep = "";
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            double ns = e.getValue()[0];
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.2f |%n", e.getKey(), ns,
                    e.getValue()[1], ns / reentrant, ns / named));
            json.append(sep).append(String.format(Locale.ROOT, "\"%s\": %.2f", e.getKey(), ns));
            sep = ", ";
        }
        json.append("},\n");
        md.append('\n');
        List<Charts.Row> rows = new ArrayList<>();
        scores.entrySet().stream().sorted(Comparator.comparingDouble(e -> e.getValue()[0]))
                .forEach(e -> rows.add(new Charts.Row(e.getKey(), e.getValue()[0])));
        Charts.bars(out.resolve("uncontended.svg"), "Uncontended acquire + release, one thread (JMH)", machine,
                "ns per acquire + release", List.of("ns/op"), rows, true);
    }

    private static void contended(StringBuilder md, StringBuilder json, Path dir, boolean full, Path cBinary,
                                  Path out, String machine) throws Exception {
        double seconds = full ? 5 : 2;
        int rounds = full ? 3 : 1;
        md.append("### Contended throughput between processes (tiny critical section, Mops/s, best of ")
                .append(rounds).append(")\n\n| lock | 2 processes | 4 processes | counter exact | machine CPU busy |\n")
                .append("|---|---:|---:|---|---:|\n");
        json.append("  \"contendedOpsPerSecond\": {");
        String sep = "";
        List<String> kinds = new ArrayList<>(Contended.KINDS);
        List<Charts.Row> rows = new ArrayList<>();
        for (String kind : kinds) {
            double[] best = new double[2];
            boolean exact = true;
            double busy = 0;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) {
                    Contended.Result result = Contended.run(dir, kind, i == 0 ? 2 : 4, seconds);
                    best[i] = Math.max(best[i], result.opsPerSecond());
                    exact &= result.exact();
                    busy = Math.max(busy, result.machineBusy());
                }
            }
            rows.add(new Charts.Row(kind, best[0] / 1e6, best[1] / 1e6));
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %.0f%% |%n", kind, best[0] / 1e6,
                    best[1] / 1e6, exact ? "yes" : "NO", busy * 100));
            json.append(sep).append(String.format(Locale.ROOT, "\"%s\": {\"2\": %.0f, \"4\": %.0f, \"exact\": %s}",
                    kind, best[0], best[1], exact));
            sep = ", ";
        }
        if (cBinary != null && Files.isExecutable(cBinary)) {
            for (String mode : List.of("futex", "futex-spin", "pthread")) {
                double[] best = new double[2];
                boolean exact = true;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < 2; i++) {
                        Process p = new ProcessBuilder(cBinary.toString(), mode, Integer.toString(i == 0 ? 2 : 4),
                                Double.toString(seconds)).start();
                        String[] f = Children.readLine(p).trim().split(" ");
                        p.waitFor(60, TimeUnit.SECONDS);
                        best[i] = Math.max(best[i], Double.parseDouble(f[4]));
                        exact &= f[5].equals("1");
                    }
                }
                rows.add(new Charts.Row("C reference: " + mode, best[0] / 1e6, best[1] / 1e6));
                md.append(String.format(Locale.ROOT, "| C reference: %s | %.2f | %.2f | %s | |%n", mode, best[0] / 1e6,
                        best[1] / 1e6, exact ? "yes" : "NO"));
                json.append(sep).append(String.format(Locale.ROOT, "\"c-%s\": {\"2\": %.0f, \"4\": %.0f, \"exact\": %s}",
                        mode, best[0], best[1], exact));
            }
        }
        json.append("},\n");
        md.append("\nOn 2 CPUs, 4 processes time-share the CPUs: a holder preempted inside its critical section"
                + " makes everyone wait for the scheduler, which is what these numbers partly measure.\n\n");
        Charts.bars(out.resolve("contended.svg"), "Contended throughput between processes (Mops/s, best of "
                + rounds + ")", machine, "million acquire + release per second, all processes",
                List.of("2 processes", "4 processes"), rows, false);
    }

    private static void rowLocks(StringBuilder md, StringBuilder json, Path dir, String url, boolean full)
            throws Exception {
        Map<String, Double> micros = RowLocks.measure(url, dir, full ? 20_000 : 2_000);
        double futex = micros.get("futex-ra NamedLock acquire + release");
        md.append("### The row locks users replace (one connection over loopback, uncontended, µs)\n\n")
                .append("| lock | µs per acquire + release | × NamedLock |\n|---|---:|---:|\n");
        json.append("  \"rowLockMicros\": {");
        String sep = "";
        for (Map.Entry<String, Double> e : micros.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.0f |%n", e.getKey(), e.getValue(), e.getValue() / futex));
            json.append(sep).append(String.format(Locale.ROOT, "\"%s\": %.4f", e.getKey(), e.getValue()));
            sep = ", ";
        }
        json.append("},\n");
        md.append('\n');
    }

    private static void latencies(StringBuilder md, StringBuilder json, Path dir, boolean full, Path out,
                                  String machine) throws Exception {
        int rounds = full ? 5_000 : 1_000;
        List<Latency.Samples> all = List.of(
                Latency.pingPong(dir, false, rounds),
                Latency.pingPong(dir, true, rounds),
                Latency.signalToWake(dir, false, full ? 1_000 : 300),
                Latency.signalToWake(dir, true, full ? 1_000 : 300),
                Latency.ownerDeath(dir, full ? 30 : 10));
        md.append("### Latency between processes (µs)\n\n| what | samples | median | p90 | p99 | max |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        json.append("  \"latencyNanos\": {");
        String sep = "";
        List<Charts.Row> rows = new ArrayList<>();
        for (Latency.Samples s : all) {
            rows.add(new Charts.Row(s.name() + " (n = " + s.nanos().length + ")", s.percentile(0.5) / 1e3,
                    s.percentile(0.9) / 1e3, s.percentile(0.99) / 1e3, s.nanos()[s.nanos().length - 1] / 1e3));
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", s.name(), s.nanos().length,
                    s.percentile(0.5) / 1e3, s.percentile(0.9) / 1e3, s.percentile(0.99) / 1e3,
                    s.nanos()[s.nanos().length - 1] / 1e3));
            json.append(sep).append(String.format(Locale.ROOT, "\"%s\": {\"n\": %d, \"p50\": %d, \"p90\": %d, \"p99\": %d, \"max\": %d}",
                    s.name(), s.nanos().length, s.percentile(0.5), s.percentile(0.9), s.percentile(0.99),
                    s.nanos()[s.nanos().length - 1]));
            sep = ", ";
        }
        json.append("},\n");
        md.append('\n');
        Charts.bars(out.resolve("latency.svg"), "Latency between processes (µs)", machine, "µs",
                List.of("median", "p90", "p99", "max"), rows, true);
    }
}
