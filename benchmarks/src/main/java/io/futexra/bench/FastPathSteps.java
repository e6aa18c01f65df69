package io.futexra.bench;

import io.futexra.core.SharedMemory;
import io.futexra.kit.TimeRecorder;
import java.lang.ref.WeakReference;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The uncontended fast path of a {@code NamedLock} rebuilt one step at a time on a shared mapping
 * (a file in /dev/shm, through {@link SharedMemory} as the core accesses it), each ladder rung a
 * plain loop adding one step to the one before, in alternating rounds, CPU time of the thread
 * (so other processes' load counts less). The difference between neighbouring rungs is what the
 * step costs; the real lock is measured by {@link PlainLoop}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.futexra.bench.FastPathSteps [ROUNDS [OPS_PER_ROUND]]
 * </pre>
 */
public final class FastPathSteps {

    static final String[] RUNGS = {"ReentrantLock", "CAS, store release", "CAS, getAndSet release",
        "+ fencing token", "+ held-since stamp", "+ thread context lookup", "+ hold sampling (1 in 8)",
        "+ Held allocated"};

    private static final int WORD = 0;
    private static final int TOKEN = 32;
    private static final int HELD_SINCE = 72;
    private static long sink;
    private static volatile long clock = System.currentTimeMillis();
    private static volatile Object escaped;
    private static final ThreadLocal<WeakReference<Object>> CONTEXT = new ThreadLocal<>();
    private static final TimeRecorder HOLDS = new TimeRecorder();
    private static final TimeRecorder TOTAL = new TimeRecorder();

    private FastPathSteps() {
    }

    /** What a hold carries. */
    private record Hold(Object owner, Thread thread, long token) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Path file = Files.createTempFile(Path.of("/dev/shm"), "futex-ra-steps", "");
        Object context = new Object();
        CONTEXT.set(new WeakReference<>(context));
        Map<String, double[]> ns = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            SharedMemory memory = new SharedMemory(map, 0);
            ReentrantLock reentrant = new ReentrantLock();
            for (String rung : RUNGS) {
                ns.put(rung, new double[rounds]);
            }
            for (int r = -Math.max(3, rounds / 3); r < rounds; r++) {
                for (int i = 0; i < RUNGS.length; i++) {
                    long start = cpu.getCurrentThreadCpuTime();
                    switch (i) {
                        case 0 -> reentrant(reentrant, ops);
                        case 1 -> storeRelease(memory, ops);
                        case 2 -> getAndSet(memory, ops);
                        case 3 -> token(memory, ops);
                        case 4 -> heldSince(memory, ops);
                        case 5 -> context(memory, ops);
                        case 6 -> sampled(memory, ops);
                        default -> allocated(memory, ops);
                    }
                    long elapsed = cpu.getCurrentThreadCpuTime() - start;
                    if (r >= 0) {
                        ns.get(RUNGS[i])[r] = (double) elapsed / ops;
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "JDK %s: thread CPU ns/op, median of %d alternating rounds%n%n"
                + "| step | ns/op | min–max | step costs |%n|---|---:|---:|---:|%n", Runtime.version(), rounds);
        double before = Double.NaN;
        for (Map.Entry<String, double[]> e : ns.entrySet()) {
            double[] s = e.getValue();
            Arrays.sort(s);
            double median = PlainLoop.median(s);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f–%.1f | %s |%n", e.getKey(), median, s[0],
                    s[s.length - 1], e.getKey().equals("ReentrantLock") || Double.isNaN(before) ? ""
                            : String.format(Locale.ROOT, "%+.1f", median - before));
            before = e.getKey().equals("ReentrantLock") ? Double.NaN : median;
        }
    }

    private static void reentrant(ReentrantLock lock, int ops) {
        for (int i = 0; i < ops; i++) {
            lock.lock();
            try {
                sink += i;
            } finally {
                lock.unlock();
            }
        }
    }

    private static void storeRelease(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            if (m.compareAndSetInt(WORD, 0, 7)) {
                sink += i;
                m.putIntRelease(WORD, 0);
            }
        }
    }

    private static void getAndSet(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            if (m.compareAndSetInt(WORD, 0, 7)) {
                sink += i;
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }

    private static void token(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            if (m.compareAndSetInt(WORD, 0, 7)) {
                long t = m.getLong(TOKEN) + 1;
                m.putLong(TOKEN, t);
                sink += t;
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }

    private static void heldSince(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            if (m.compareAndSetInt(WORD, 0, 7)) {
                long t = m.getLong(TOKEN) + 1;
                m.putLong(TOKEN, t);
                m.putLong(HELD_SINCE, clock);
                sink += t;
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }

    private static void context(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            Object me = CONTEXT.get().get();
            if (m.compareAndSetInt(WORD, 0, me.hashCode() & 7)) {
                long t = m.getLong(TOKEN) + 1;
                m.putLong(TOKEN, t);
                m.putLong(HELD_SINCE, clock);
                sink += t;
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }

    private static void sampled(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            Object me = CONTEXT.get().get();
            if (m.compareAndSetInt(WORD, 0, me.hashCode() & 7)) {
                long t = m.getLong(TOKEN) + 1;
                m.putLong(TOKEN, t);
                m.putLong(HELD_SINCE, clock);
                sink += t;
                if ((t & 7) == 0) {
                    long held = (clock - m.getLong(HELD_SINCE)) * 1_000_000;
                    HOLDS.record(held);
                    TOTAL.record(held);
                }
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }

    private static void allocated(SharedMemory m, int ops) {
        for (int i = 0; i < ops; i++) {
            Object me = CONTEXT.get().get();
            if (m.compareAndSetInt(WORD, 0, me.hashCode() & 7)) {
                long t = m.getLong(TOKEN) + 1;
                m.putLong(TOKEN, t);
                m.putLong(HELD_SINCE, clock);
                Hold h = new Hold(me, Thread.currentThread(), t);
                if ((i & 0xffff) == 0) {
                    escaped = h; // escapes: allocated every time, as a Held the JIT cannot remove
                }
                sink += h.token();
                if ((t & 7) == 0) {
                    long held = (clock - m.getLong(HELD_SINCE)) * 1_000_000;
                    HOLDS.record(held);
                    TOTAL.record(held);
                }
                if (m.getAndSetInt(WORD, 0) < 0) {
                    sink++;
                }
            }
        }
    }
}
