package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.kit.SpaceFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Uncontended {@code NamedLock} acquire + release with this process's statistics on and off
 * ({@value SpaceFigures#PROPERTY}, read when a space file is first opened in a process): each
 * benchmark method runs in its own fork, so each fork's JIT sees one of the two only. Run both
 * methods in one JMH run, several times, alternating.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FiguresBenchmark {

    private Path directory;
    private LockSpace on;
    private LockSpace off;
    private NamedLock lockOn;
    private NamedLock lockOff;
    private int shared;

    @Setup
    public void setUp() throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-figures");
        System.setProperty(SpaceFigures.PROPERTY, "true");
        on = LockSpace.open(directory, "on");
        System.setProperty(SpaceFigures.PROPERTY, "false");
        off = LockSpace.open(directory, "off");
        System.clearProperty(SpaceFigures.PROPERTY);
        lockOn = on.lock("uncontended");
        lockOff = off.lock("uncontended");
    }

    @TearDown
    public void tearDown() throws IOException {
        on.close();
        off.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public int namedLockFiguresOn() {
        try (Held h = lockOn.acquire()) {
            return ++shared;
        }
    }

    @Benchmark
    public int namedLockFiguresOff() {
        try (Held h = lockOff.acquire()) {
            return ++shared;
        }
    }
}
