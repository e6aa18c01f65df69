package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two WildFly servers on one host (node-b with a port offset), both running the sample
 * {@code NightlyJob} every 2 s: every tick must run on exactly one of them. Both servers record
 * each firing in a trace ({@code tick pid outcome}); the job's ledger records each tick run
 * ({@code tick token pid}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoServersIT {

    private static final int TICKS_WANTED = 6;

    @Deployment(name = "rar-a", order = 1, testable = false)
    @TargetsContainer("node-a")
    static ResourceAdapterArchive rarA() {
        return Deployments.rar();
    }

    @Deployment(name = "rar-b", order = 2, testable = false)
    @TargetsContainer("node-b")
    static ResourceAdapterArchive rarB() {
        return Deployments.rar();
    }

    @Deployment(name = "samples-a", order = 3, testable = false)
    @TargetsContainer("node-a")
    static JavaArchive samplesA() {
        return Deployments.samples("futex-ra-ejb-samples.jar");
    }

    @Deployment(name = "samples-b", order = 4, testable = false)
    @TargetsContainer("node-b")
    static JavaArchive samplesB() {
        return Deployments.samples("futex-ra-ejb-samples.jar");
    }

    @Test
    void shouldRunEachTickOfTheScheduledJobOnExactlyOneServer() throws Exception {
        Path dir = Path.of(System.getProperty("samples.dir"));
        Path ledger = dir.resolve("nightly-job.ledger");
        Path trace = dir.resolve("nightly-job.trace");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (contestedTicks(trace) < TICKS_WANTED && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(1000); // let the last tick's writes land
        Map<Long, Set<Long>> firedBy = firings(trace);
        long contested = contestedTicks(trace);
        assertTrue(contested >= TICKS_WANTED, "both servers must fire the job for " + TICKS_WANTED
                + " ticks within 60 s; trace:\n" + read(trace));

        List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
        Set<Long> ticks = new HashSet<>();
        long lastToken = 0;
        Map<Long, Long> ranOn = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            long tick = Long.parseLong(f[0]);
            long token = Long.parseLong(f[1]);
            assertTrue(ticks.add(tick), "tick " + tick + " ran twice; ledger:\n" + String.join("\n", lines));
            assertTrue(token > lastToken, "fencing tokens must grow along the ledger:\n" + String.join("\n", lines));
            lastToken = token;
            ranOn.put(tick, Long.parseLong(f[2]));
        }
        int checked = 0;
        for (Map.Entry<Long, Set<Long>> e : firedBy.entrySet()) {
            if (e.getValue().size() == 2 && ranOn.containsKey(e.getKey())) {
                assertTrue(e.getValue().contains(ranOn.get(e.getKey())), "tick " + e.getKey() + " ran on a server that did not fire it");
                checked++;
            }
        }
        assertTrue(checked >= TICKS_WANTED - 1, "contested ticks found in the ledger: " + checked + "\ntrace:\n"
                + read(trace) + "\nledger:\n" + String.join("\n", lines));
        Set<Long> servers = new HashSet<>(ranOn.values());
        System.out.println("two servers: " + lines.size() + " ticks run, " + contested + " fired by both, run on pids "
                + servers + " (counts " + countBy(ranOn) + ")");
        assertEquals(lines.size(), ticks.size());
    }

    /** tick -> pids that fired it. */
    private static Map<Long, Set<Long>> firings(Path trace) throws Exception {
        Map<Long, Set<Long>> m = new TreeMap<>();
        if (!Files.exists(trace)) {
            return m;
        }
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                m.computeIfAbsent(Long.parseLong(f[0]), k -> new HashSet<>()).add(Long.parseLong(f[1]));
            }
        }
        return m;
    }

    private static long contestedTicks(Path trace) throws Exception {
        return firings(trace).values().stream().filter(s -> s.size() == 2).count();
    }

    private static Map<Long, Integer> countBy(Map<Long, Long> ranOn) {
        Map<Long, Integer> c = new HashMap<>();
        ranOn.values().forEach(pid -> c.merge(pid, 1, Integer::sum));
        return c;
    }

    private static String read(Path p) throws Exception {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(no " + p + ")";
    }
}
