package io.futexra.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child JVMs running a benchmark worker from this jar, with the same JVM flags every time. */
final class Children {

    private Children() {
    }

    static Process start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms64m");
        command.add("-Xmx64m");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * The child's next stdout line (blocking), or an exception if it ended without one. Reads byte
     * by byte, with no reader that could buffer ahead and swallow the lines after it (the workers
     * print ASCII).
     */
    static String readLine(Process p) throws IOException {
        InputStream in = p.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("child " + p.pid() + " ended without output");
        }
        return line.toString();
    }

    static void await(Process p) throws InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child " + p.pid() + " did not finish in 120 s");
        }
    }

    /** The share of CPU time other processes used over the last interval, from /proc/stat (0..1). */
    static double machineBusy(long[] last) {
        try {
            String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            double busy = last[1] == 0 ? 0 : 1.0 - (double) (idle - last[0]) / Math.max(1, total - last[1]);
            last[0] = idle;
            last[1] = total;
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
