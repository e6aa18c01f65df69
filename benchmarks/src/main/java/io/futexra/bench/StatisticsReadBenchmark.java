package io.futexra.bench;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.SpaceOptions;
import io.futexra.SpaceStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one scrape costs: one read of a space's figures ({@link LockSpace#statistics}, which the
 * Micrometer binder does once per scrape and each JMX read of {@code Statistics} does) in a space of
 * {@code locks} locks, every one acquired three times (the first release of each is a hold
 * sample, so each has in-process figures to read and merge); {@code objects()} alone for comparison.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class StatisticsReadBenchmark {

    @Param({"10000"})
    public int locks;

    private Path directory;
    private LockSpace space;

    @Setup
    public void setUp() throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-scrape");
        space = LockSpace.open(directory, "scrape", SpaceOptions.defaults().withCapacity(Math.max(locks, 1) + 16));
        for (int i = 0; i < locks; i++) {
            var lock = space.lock("lock-" + i);
            for (int n = 0; n < 3; n++) {
                lock.acquireForProcess(Duration.ofSeconds(1)).close();
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        space.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The totals and the 20 hottest: what the JMX MXBean reads (the binder reads the totals and its named locks). */
    @Benchmark
    public SpaceStatistics statisticsTop20() {
        return space.statistics(Set.of(), 20);
    }

    @Benchmark
    public List<ObjectInfo> objects() {
        return space.objects();
    }
}
