package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.it.app.ProbeServlet;
import io.futexra.it.app.UseServlet;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploy → use → undeploy the RAR (and an application using it) five times in one server: each
 * round works, no "already loaded in another classloader", the adapter's threads end at each
 * undeploy, and JNA's cleaner threads end too. Then the RAR is deployed once more and, after
 * WildFly's idle "ServerService" core thread has ended ({@link RedeployClassLoadersIT} says why)
 * and two full GCs, exactly one copy of the adapter's classes is loaded beyond what the server
 * held before: every undeployed class loader was collected. The numbers (threads and jnidispatch
 * mappings, read by a probe deployed apart from the RAR; class copies, read with {@code jcmd}) go
 * to target/redeploy-evidence-VARIANT.txt. One subclass per way of providing JNA.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class RedeployLoop {

    static final int ROUNDS = 5;

    static WebArchive probe() {
        return Deployments.independentWar("probe.war").addClass(ProbeServlet.class);
    }

    static WebArchive use() {
        return Deployments.war("redeploy-use.war").addClass(UseServlet.class);
    }

    @ArquillianResource
    private Deployer deployer;

    /** Which variant: names the evidence file. */
    abstract String variant();

    /** JNA cleaner threads that may stay: 0 for a private JNA, 1 for a shared module's. */
    abstract int sharedJnaCleaners();

    /** Checks the jnidispatch mappings: before the first round, with the RAR deployed each round, and settled. */
    abstract void checkNativeLibraries(Snapshot before, List<Snapshot> deployed, Snapshot settled, String evidence);

    /** One probe answer: the server's pid, thread names, jnidispatch mappings and space-file mappings. */
    record Snapshot(long pid, List<String> threads, List<String> maps, List<String> spaces) {

        long threadsNamed(String prefix) {
            return threads.stream().filter(t -> t.startsWith(prefix)).count();
        }

        String summary() {
            return "futex-ra threads=" + threadsNamed("futex-ra") + ", JNA Cleaner threads=" + threadsNamed("JNA Cleaner")
                    + ", all threads=" + threads.size() + ", jnidispatch mappings=" + maps.size() + " " + maps;
        }
    }

    @Test
    @OperateOnDeployment("probe")
    void shouldRedeployFiveTimesWithoutLeakingClassLoadersThreadsOrNativeLibraries(@ArquillianResource URL probe) throws Exception {
        String base = probe.toString().replace("/probe/", "/");
        List<String> evidence = new ArrayList<>();
        Snapshot before = snapshot(probe, true);
        long copiesBefore = ServerJvm.adapterCopies(before.pid());
        evidence.add("before: " + before.summary() + ", adapter class copies=" + copiesBefore);
        String lock = "it-redeploy-" + UUID.randomUUID();
        long lastToken = 0;
        List<Snapshot> deployedSnapshots = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            deployer.deploy("rar");
            deployer.deploy("use");
            String answer = Http.get(base + "redeploy-use/use?lock=" + lock, Duration.ofSeconds(30));
            long token = Long.parseLong(answer.split(" ")[1]);
            assertTrue(token > lastToken, "round " + round + " used the same space: token " + token + " after " + lastToken);
            lastToken = token;
            Snapshot deployed = snapshot(probe, false);
            deployedSnapshots.add(deployed);
            evidence.add("round " + round + " deployed: " + deployed.summary());
            deployer.undeploy("use");
            deployer.undeploy("rar");
            Snapshot undeployed = awaitNoAdapterThreads(probe);
            evidence.add("round " + round + " undeployed: " + undeployed.summary());
            assertEquals(0, undeployed.threadsNamed("futex-ra"), "adapter threads left after undeploy: " + undeployed.threads);
        }
        Snapshot settled = awaitJnaCleanersGone(probe, before.threadsNamed("JNA Cleaner") + sharedJnaCleaners(),
                Duration.ofSeconds(100));
        evidence.add("after " + ROUNDS + " rounds, settled: " + settled.summary());
        long copies;
        deployer.deploy("rar");
        try {
            ServerJvm.retireIdleServerServiceThread(probe);
            copies = ServerJvm.adapterCopies(before.pid());
            evidence.add("deployed once more, WildFly's idle ServerService core thread ended: adapter class copies="
                    + copies + ", " + snapshot(probe, false).summary());
            if (copies > copiesBefore + 1) { // for the failure below: what holds the copies (paths from GC roots)
                Path dump = Path.of(System.getProperty("build.dir", "target"), "redeploy-" + variant() + ".hprof").toAbsolutePath();
                Files.deleteIfExists(dump);
                ServerJvm.jcmd(before.pid(), "GC.heap_dump " + dump);
                evidence.add("heap dump: " + dump);
            }
        } finally {
            deployer.undeploy("rar");
        }
        write(evidence);
        assertTrue(copies <= copiesBefore + 1, "copies of the adapter's classes beyond the deployed one (undeployed RAR "
                + "class loaders kept):\n" + String.join("\n", evidence));
        assertTrue(settled.threadsNamed("JNA Cleaner") <= before.threadsNamed("JNA Cleaner") + sharedJnaCleaners(),
                "JNA cleaner threads must end after undeploy: "
                        + String.join("\n", evidence));
        assertEquals(before.pid(), settled.pid());
        assertEquals(List.of(), ServerLog.linesWith(ServerLog.singleServerFromClient(), "already loaded in another classloader"));
        checkNativeLibraries(before, deployedSnapshots, settled, String.join("\n", evidence));
    }

    private static Snapshot awaitNoAdapterThreads(URL probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Snapshot s = snapshot(probe, false);
        while (s.threadsNamed("futex-ra") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = snapshot(probe, false);
        }
        return s;
    }

    static Snapshot awaitJnaCleanersGone(URL probe, long baseline, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        Snapshot s = snapshot(probe, true);
        while (s.threadsNamed("JNA Cleaner") > baseline && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            s = snapshot(probe, true);
        }
        return s;
    }

    static Snapshot snapshot(URL probe, boolean gc) throws Exception {
        String text = Http.get(probe + "probe" + (gc ? "?gc=true" : ""), Duration.ofSeconds(30));
        long pid = 0;
        List<String> threads = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        List<String> spaces = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("pid ")) {
                pid = Long.parseLong(line.substring(4).trim());
            } else if (line.startsWith("thread ")) {
                threads.add(line.substring(7));
            } else if (line.startsWith("map ")) {
                maps.add(line.substring(4));
            } else if (line.startsWith("space ")) {
                spaces.add(line.substring(6));
            }
        }
        return new Snapshot(pid, threads, maps, spaces);
    }

    private void write(List<String> evidence) throws IOException {
        Path file = Path.of(System.getProperty("build.dir", "target"), "redeploy-evidence-" + variant() + ".txt");
        Files.write(file, evidence, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        evidence.forEach(System.out::println);
    }
}
