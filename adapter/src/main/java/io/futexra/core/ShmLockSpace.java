package io.futexra.core;

import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.SpaceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LockSpace} over a memory-mapped space file (see {@link LockSpaceLayout}).
 *
 * <p>Handles of named objects are cached per space handle, so asking for the same name again is a
 * map lookup. The mapping is never unmapped explicitly: it lives as long as anything refers to it,
 * which includes every held acquisition (a robust-list node must stay mapped while linked).
 */
public final class ShmLockSpace implements LockSpace {

    private final String name;
    private final Path path;
    private final SharedMemory memory;
    private final ProcessContext process;
    private final SlotTable slots;
    private final ConcurrentHashMap<String, ShmNamedLock> locks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ShmLockSpace(String name, SpaceFile.Mapped mapped, ProcessContext process) {
        this.name = name;
        this.path = mapped.path();
        this.memory = mapped.memory();
        this.process = process;
        this.slots = new SlotTable(memory, mapped.slotCount(), name, process.kernel);
    }

    /** Opens or creates the space {@code name} in {@code directory}. */
    public static ShmLockSpace open(Path directory, String name, SpaceOptions options, Kernel kernel) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Names.checkSpaceName(name);
        ProcessContext process = ProcessContext.of(kernel);
        SpaceFile.Mapped mapped = SpaceFile.openOrCreate(directory, name, options, kernel, process.pid);
        ShmLockSpace space = new ShmLockSpace(name, mapped, process);
        process.retain();
        return space;
    }

    @Override
    public String name() {
        return name;
    }

    /** The space file. */
    public Path path() {
        return path;
    }

    /** How many objects the space can hold. */
    public int capacity() {
        return slots.slotCount();
    }

    @Override
    public NamedLock lock(String lockName) {
        checkOpen();
        if (lockName == null) {
            throw new IllegalArgumentException("lock name is null");
        }
        ShmNamedLock lock = locks.get(lockName);
        if (lock == null) {
            int base = slots.findOrCreate(lockName, ObjectKind.LOCK, thread(), (m, b) -> { });
            lock = locks.computeIfAbsent(lockName, n -> new ShmNamedLock(this, n, memory, base));
        }
        return lock;
    }

    @Override
    public List<ObjectInfo> objects() {
        checkOpen();
        return new ObjectReader(memory, slots).readAll();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            process.release();
        }
    }

    @Override
    public String toString() {
        return "LockSpace[" + name + " at " + path + "]";
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("space '" + name + "' is closed: open it again with LockSpace.open");
        }
    }

    ThreadContext thread() {
        return process.currentThread();
    }

    Kernel kernel() {
        return process.kernel;
    }

    int pid() {
        return process.pid;
    }

    Keeper keeper() {
        return process.keeper;
    }

    /** A process-owned acquisition keeps the keeper (and the clock) alive until released. */
    void retainProcess() {
        process.retain();
    }

    void releaseProcess() {
        process.release();
    }

    long millis() {
        return process.clock.millis();
    }

    /** " (held by pid P, thread T)" for error messages, or "" if nobody holds the slot. */
    String describeHolder(int base) {
        return ObjectReader.describeHolder(memory, base);
    }
}
