package io.futexra.bench;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * Uncontended acquire + release, one thread: futex-ra's objects against the JDK's locks and the
 * cross-process locks users would otherwise take. Each operation is one full acquire and release.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class UncontendedBenchmark {

    private Path directory;
    private LockSpace space;
    private NamedLock namedLock;
    private NamedLock fairLock;
    private NamedReadWriteLock readWriteLock;
    private NamedSemaphore semaphore;
    private NamedEvent event;
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Object monitor = new Object();
    private FileChannel fileChannel;
    private FileChannel pthreadFile;
    private long pthreadMutex;
    private int sysvSemaphore;
    private Memory semDown;
    private Memory semUp;
    private int shared;
    private io.futexra.jca.LockFactory lockFactory;
    private io.futexra.jca.LockConnection connection;
    private io.futexra.jca.ConnectionLock connectionLock;

    @Setup
    public void setUp() throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "futex-ra-bench");
        space = LockSpace.open(directory, "bench");
        namedLock = space.lock("uncontended");
        fairLock = space.lock("fair", io.futexra.LockOptions.fair());
        readWriteLock = space.readWriteLock("rw");
        semaphore = space.semaphore("sem", 4);
        event = space.event("event", EventMode.AUTO_RESET);
        fileChannel = FileChannel.open(directory.resolve("filelock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        pthreadFile = FileChannel.open(directory.resolve("pthread"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        var map = pthreadFile.map(FileChannel.MapMode.READ_WRITE, 0, 64);
        pthreadMutex = Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(map));
        NativeLocks.initRobustSharedMutex(pthreadMutex);
        mapping = map;
        io.futexra.jca.FutexManagedConnectionFactory mcf = new io.futexra.jca.FutexManagedConnectionFactory();
        mcf.setDirectory(directory.toString());
        mcf.setSpace("bench-jca");
        try {
            lockFactory = (io.futexra.jca.LockFactory) mcf.createConnectionFactory(); // outside a server
            connection = lockFactory.getConnection();
        } catch (jakarta.resource.ResourceException e) {
            throw new IOException(e);
        }
        connectionLock = connection.lock("uncontended");
        sysvSemaphore = NativeLocks.newSemaphore();
        semDown = NativeLocks.semOp((short) -1);
        semUp = NativeLocks.semOp((short) 1);
    }

    /** Keeps the pthread mutex's mapping alive. */
    private Object mapping;

    @TearDown
    public void tearDown() throws IOException {
        connection.close();
        NativeLocks.removeSemaphore(sysvSemaphore);
        semDown.close();
        semUp.close();
        fileChannel.close();
        pthreadFile.close();
        space.close();
        mapping = null;
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public int namedLock() {
        try (Held h = namedLock.acquire()) {
            return ++shared;
        }
    }

    /** The core's process-owned acquisition, what a {@code LockConnection} uses underneath. */
    @Benchmark
    public int namedLockForProcess() {
        try (Held h = namedLock.acquireForProcess(java.time.Duration.ofSeconds(1))) {
            return ++shared;
        }
    }

    @Benchmark
    public int namedLockFair() {
        try (Held h = fairLock.acquire()) {
            return ++shared;
        }
    }

    @Benchmark
    public int namedReadLock() {
        try (Held h = readWriteLock.readLock().acquire()) {
            return shared;
        }
    }

    @Benchmark
    public int namedWriteLock() {
        try (Held h = readWriteLock.writeLock().acquire()) {
            return ++shared;
        }
    }

    @Benchmark
    public int namedSemaphore() {
        try (Held h = semaphore.acquire()) {
            return ++shared;
        }
    }

    @Benchmark
    public void eventSignalNobodyWaiting() {
        event.signal();
        event.await(java.time.Duration.ZERO);
    }

    /** A lock through a {@code LockConnection} kept open, outside a server (process-owned, as in one). */
    @Benchmark
    public int lockConnection() {
        try (Held h = connectionLock.acquire(java.time.Duration.ofSeconds(1))) {
            return ++shared;
        }
    }

    /** {@code getConnection()} + acquire + release + {@code close()}, outside a server. */
    @Benchmark
    public int lockConnectionCycle() throws jakarta.resource.ResourceException {
        try (io.futexra.jca.LockConnection c = lockFactory.getConnection();
             Held h = c.lock("cycle").acquire(java.time.Duration.ofSeconds(1))) {
            return ++shared;
        }
    }

    @Benchmark
    public int reentrantLock() {
        reentrantLock.lock();
        try {
            return ++shared;
        } finally {
            reentrantLock.unlock();
        }
    }

    @Benchmark
    public int synchronizedBlock() {
        synchronized (monitor) {
            return ++shared;
        }
    }

    @Benchmark
    public int fileChannelLock() throws IOException {
        try (FileLock l = fileChannel.lock(0, 1, false)) {
            return ++shared;
        }
    }

    @Benchmark
    public int pthreadRobustMutexJna() {
        NativeLocks.lockRobust(pthreadMutex);
        try {
            return ++shared;
        } finally {
            NativeLocks.pthread_mutex_unlock(pthreadMutex);
        }
    }

    @Benchmark
    public int sysvSemaphoreJna() {
        NativeLocks.semop(sysvSemaphore, Pointer.nativeValue(semDown), 1);
        try {
            return ++shared;
        } finally {
            NativeLocks.semop(sysvSemaphore, Pointer.nativeValue(semUp), 1);
        }
    }
}
