package io.futexra.it;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test server's JVM seen from outside, for the redeploy tests: {@code jcmd} on its pid, the
 * copies of the adapter's classes it holds, and WildFly's idle "ServerService" core thread (which
 * may hold an undeployed RAR: {@link RedeployClassLoadersIT} says why) let go through the probe.
 */
final class ServerJvm {

    /** One line per loaded copy of the class in {@code jcmd VM.class_hierarchy}. */
    private static final String ADAPTER_CLASS_LINE = "io.futexra.jca.FutexResourceAdapter/";

    private ServerJvm() {
    }

    /** Copies of {@code io.futexra.jca.FutexResourceAdapter} loaded, i.e. live RAR class loaders, after two full GCs. */
    static long adapterCopies(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        return jcmd(pid, "VM.class_hierarchy").stream().filter(l -> l.contains(ADAPTER_CLASS_LINE)).count();
    }

    /**
     * Lets WildFly's "ServerService" pool end its idle core thread, waits until the pool has no
     * thread (its keep-alive is 20 s; hang guard 180 s), and puts the setting back.
     */
    static void retireIdleServerServiceThread(URL probe) throws Exception {
        try {
            long pool = serverServicePool(probe, "&serverServiceCoreTimeout=true");
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (pool > 0 && System.nanoTime() < deadline) {
                Thread.sleep(2000);
                pool = serverServicePool(probe, "");
            }
        } finally {
            serverServicePool(probe, "&serverServiceCoreTimeout=false");
        }
    }

    /** Threads of the "ServerService" pool, as the probe reads them. */
    static long serverServicePool(URL probe, String query) throws Exception {
        return Long.parseLong(probeLines(probe, "serverServicePool ", "?gc=false" + query).get(0));
    }

    /** The probe's answer lines that start with {@code prefix}, without it. */
    static List<String> probeLines(URL probe, String prefix, String query) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Http.get(probe + "probe" + query, Duration.ofSeconds(30)).split("\n")) {
            if (line.startsWith(prefix)) {
                out.add(line.substring(prefix.length()).trim());
            }
        }
        return out;
    }

    /** Runs {@code jcmd PID COMMAND} with this JVM's jcmd (the server runs as the same user). */
    static List<String> jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
    }
}
