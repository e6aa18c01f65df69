package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Contended throughput between processes: each of N child JVMs loops acquire, increment a plain
 * counter in shared memory, release, for a fixed time; the parent adds up the operations and
 * checks the counter against them (a lost increment would mean broken mutual exclusion).
 */
final class Contended {

    /** The locks compared. */
    static final List<String> KINDS = List.of("greedy-nospin", "greedy-spin100", "greedy-adaptive", "fair",
            "fair-spin100", "fileChannelLock", "pthreadRobustJna");

    private Contended() {
    }

    /** One measurement: total ops/s and whether the counter matched. */
    record Result(String kind, int processes, double opsPerSecond, boolean exact, double machineBusy) {
    }

    static Result run(Path dir, String kind, int processes, double seconds) throws Exception {
        Path counter = dir.resolve("counter-" + kind + "-" + processes);
        // emptied first: a later round of the same kind and count must not start from the last one's total
        try (FileChannel ch = FileChannel.open(counter, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MappedByteBuffer shared = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            if (kind.equals("pthreadRobustJna")) {
                NativeLocks.initRobustSharedMutex(com.sun.jna.Pointer.nativeValue(
                        com.sun.jna.Native.getDirectBufferPointer(shared)) + 64);
            }
            List<Process> children = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                children.add(Children.start(Contended.class, kind, dir.toString(), counter.toString(),
                        Double.toString(seconds)));
            }
            for (Process c : children) {
                Children.readLine(c); // "ready": started and holding its lock handle (slow on a busy machine)
            }
            // all start together after a common warm-up, however long the JVMs took to start
            long start = System.nanoTime() + 1_000_000_000L;
            for (Process c : children) {
                c.getOutputStream().write((start + "\n").getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
            }
            long[] cpu = new long[2];
            Children.machineBusy(cpu);
            long measured = 0;
            long all = 0;
            for (Process c : children) {
                String[] counts = Children.readLine(c).trim().split(" ");
                measured += Long.parseLong(counts[0]);
                all += Long.parseLong(counts[0]) + Long.parseLong(counts[1]);
                Children.await(c);
            }
            double busy = Children.machineBusy(cpu);
            long count = shared.order(ByteOrder.nativeOrder()).getLong(0);
            return new Result(kind, processes, measured / seconds, count == all, busy);
        }
    }

    /**
     * Child: {@code KIND DIR COUNTER_FILE SECONDS}; prints "ready", reads the common start (a
     * {@link System#nanoTime()}, which is the same monotonic clock in every process here) from
     * stdin, warms up until then, and prints its measured and warm-up counts.
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path dir = Path.of(args[1]);
        try (FileChannel ch = FileChannel.open(Path.of(args[2]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer shared = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            shared.order(ByteOrder.nativeOrder());
            Runnable criticalSection = () -> shared.putLong(0, shared.getLong(0) + 1);
            Locker locker = locker(kind, dir, ch, shared);
            System.out.println("ready");
            long start = Long.parseLong(new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.US_ASCII)).readLine().trim());
            long end = start + (long) (Double.parseDouble(args[3]) * 1e9);
            long warmup = 0;
            while (System.nanoTime() < start) {
                locker.run(criticalSection); // warm up until the common start
                warmup++;
            }
            long ops = 0;
            while ((ops & 63) != 0 || System.nanoTime() < end) {
                locker.run(criticalSection);
                ops++;
            }
            System.out.println(ops + " " + warmup); // every increment, for the parent's exactness check
        }
    }

    private interface Locker {
        void run(Runnable criticalSection) throws IOException;
    }

    private static Locker locker(String kind, Path dir, FileChannel ch, MappedByteBuffer shared) {
        switch (kind) {
            case "fileChannelLock":
                return cs -> {
                    try (FileLock l = ch.lock(1024, 1, false)) {
                        cs.run();
                    }
                };
            case "pthreadRobustJna": {
                long mutex = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(shared)) + 64;
                return cs -> {
                    NativeLocks.lockRobust(mutex);
                    try {
                        cs.run();
                    } finally {
                        NativeLocks.pthread_mutex_unlock(mutex);
                    }
                };
            }
            default: {
                LockOptions options = switch (kind) {
                    case "greedy-nospin" -> new LockOptions(LockPolicy.GREEDY, 0);
                    case "greedy-spin100" -> new LockOptions(LockPolicy.GREEDY, 100);
                    case "greedy-adaptive" -> new LockOptions(LockPolicy.GREEDY, LockOptions.ADAPTIVE);
                    case "fair" -> new LockOptions(LockPolicy.FAIR, 0);
                    case "fair-spin100" -> LockOptions.fair(); // the default: the next in line spins
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                };
                NamedLock lock = LockSpace.open(dir, "contended").lock(kind, options);
                return cs -> {
                    try (Held h = lock.acquire()) {
                        cs.run();
                    }
                };
            }
        }
    }
}
