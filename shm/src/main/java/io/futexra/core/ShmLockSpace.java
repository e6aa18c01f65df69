package io.futexra.core;

import static io.futexra.core.LockDescriptor.POLICY_OFFSET;
import static io.futexra.core.LockDescriptor.SPIN_LIMIT_OFFSET;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.SpaceFormatException;
import io.futexra.SpaceOptions;
import io.futexra.SpaceStatistics;
import io.futexra.kit.LockFigures;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LockSpace} over a memory-mapped space file (see {@link LockSpaceLayout}).
 *
 * <p>Handles of named objects are cached per space handle, so asking for the same name again is a
 * map lookup. The mapping is never unmapped explicitly: it lives as long as anything refers to it,
 * which includes every held acquisition (a robust-list node must stay mapped while linked). The
 * handle's shared lock on the file (which makes cooperating removers and truncaters wait) is held
 * from open to {@link #close()}: an acquisition still held after its handle closed keeps working
 * but is no longer protected from such a tool. Each thread that uses the space is a participant
 * of it ({@link Participants}) until the handle closes and the thread holds nothing there.
 */
public final class ShmLockSpace implements LockSpace {

    private final String name;
    private final Path path;
    private final SharedMemory memory;
    private final ProcessContext process;
    private final SlotTable slots;
    private final Participants participants;
    /** This process's participants in the file, shared with its other handles of the file. */
    private final Participation participation;
    /** Handles by kind and name: asking again is a map lookup. */
    private final ConcurrentHashMap<String, Object> handles = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final SpaceFile.Mapped mapped;

    private ShmLockSpace(String name, SpaceFile.Mapped mapped, ProcessContext process) {
        this.mapped = mapped;
        this.name = name;
        this.path = mapped.path();
        this.memory = mapped.memory();
        this.process = process;
        this.participants = new Participants(memory, process.kernel, mapped.slotCount(), mapped.fd());
        this.slots = new SlotTable(memory, mapped.slotCount(), name, process.kernel, participants);
        this.participation = process.participation(mapped.fd());
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

    /** The file of the space {@code name} in {@code directory} ({@code DIRECTORY/NAME.space}), whether it exists or not. */
    public static Path file(Path directory, String name) {
        Names.checkSpaceName(name);
        return directory.resolve(name + SpaceFile.SUFFIX);
    }

    /** Removes the space file if no process maps it; see {@link LockSpace#remove(Path, String)}. */
    public static boolean remove(Path directory, String name, Kernel kernel) {
        Objects.requireNonNull(directory, "directory");
        Names.checkSpaceName(name);
        return SpaceFile.remove(directory, name, kernel);
    }

    @Override
    public Dispatcher dispatcher(Dispatcher.Promoter promoter) {
        return new EventDispatcher(promoter, process.kernel);
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
        return lock(lockName, null);
    }

    @Override
    public NamedLock lock(String lockName, LockOptions options) {
        ShmNamedLock lock = handle(ObjectKind.LOCK, lockName, (m, b) -> {
            LockOptions o = options == null ? LockOptions.defaults() : options;
            m.putInt(b + POLICY_OFFSET, o.policy().code());
            m.putInt(b + SPIN_LIMIT_OFFSET, o.spinLimit());
        }, base -> new ShmNamedLock(this, lockName, memory, base, lockOptionsAt(lockName, base)), ShmNamedLock.class);
        if (options != null && !options.equals(lock.options())) {
            throw new IllegalArgumentException("lock '" + lockName + "' in space '" + name + "' exists with "
                    + lock.options() + ", not " + options + ": every process must use the options it was created with");
        }
        return lock;
    }

    @Override
    public NamedReadWriteLock readWriteLock(String lockName) {
        return handle(ObjectKind.READ_WRITE_LOCK, lockName, (m, b) -> m.putInt(b + SPIN_LIMIT_OFFSET,
                LockOptions.DEFAULT_SPIN), base -> new ShmReadWriteLock(this, lockName, memory, base),
                NamedReadWriteLock.class);
    }

    @Override
    public NamedSemaphore semaphore(String semaphoreName, int permits) {
        if (permits < 1 || permits > NamedSemaphore.MAX_PERMITS) {
            throw new IllegalArgumentException("semaphore '" + semaphoreName + "': permits must be 1 to "
                    + NamedSemaphore.MAX_PERMITS + ", not " + permits);
        }
        NamedSemaphore semaphore = handle(ObjectKind.SEMAPHORE, semaphoreName, (m, b) -> m.putInt(b + SemaphoreDescriptor.PERMITS_OFFSET,
                permits), base -> new ShmNamedSemaphore(this, semaphoreName, memory, base, permitsAt(semaphoreName, base)),
                NamedSemaphore.class);
        if (semaphore.permits() != permits) {
            throw new IllegalArgumentException("semaphore '" + semaphoreName + "' in space '" + name + "' exists with "
                    + semaphore.permits() + " permits, not " + permits + ": use the same count everywhere, or another name");
        }
        return semaphore;
    }

    @Override
    public NamedEvent event(String eventName, EventMode mode) {
        Objects.requireNonNull(mode, "mode");
        NamedEvent event = handle(ObjectKind.EVENT, eventName, (m, b) -> m.putInt(b + EventDescriptor.MODE_OFFSET, mode.code()),
                base -> new ShmNamedEvent(this, eventName, eventModeAt(eventName, base), memory, base), NamedEvent.class);
        if (event.mode() != mode) {
            throw new IllegalArgumentException("event '" + eventName + "' in space '" + name + "' exists as "
                    + event.mode() + ", not " + mode + ": use the same mode everywhere, or another name");
        }
        return event;
    }

    /** Makes a handle for a found or created slot. */
    private interface HandleFactory<T> {
        T make(int base);
    }

    private <T> T handle(ObjectKind kind, String objectName, SlotTable.Initializer init, HandleFactory<T> factory,
                         Class<T> type) {
        checkOpen();
        if (objectName == null) {
            throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + " name is null");
        }
        String key = kind.code() + "/" + objectName;
        Object cached = handles.get(key);
        if (cached == null) {
            int base = slots.findOrCreate(objectName, kind, thread(), init);
            T made = factory.make(base);
            Object raced = handles.putIfAbsent(key, made);
            cached = raced != null ? raced : made;
        }
        return type.cast(cached);
    }

    private LockOptions lockOptionsAt(String lockName, int base) {
        int code = memory.getInt(base + POLICY_OFFSET);
        int spin = memory.getInt(base + SPIN_LIMIT_OFFSET);
        LockPolicy policy = LockPolicy.fromCode(code);
        try {
            return new LockOptions(policy, spin);
        } catch (RuntimeException corrupt) {
            throw corrupted("lock '" + lockName + "'", "its policy/spin fields hold " + code + "/" + spin);
        }
    }

    private EventMode eventModeAt(String eventName, int base) {
        int code = memory.getInt(base + EventDescriptor.MODE_OFFSET);
        EventMode mode = EventMode.fromCode(code);
        if (mode == null) {
            throw corrupted("event '" + eventName + "'", "its mode field holds " + code);
        }
        return mode;
    }

    /** The permit count, which sizes the semaphore's record scans: 1 to {@link NamedSemaphore#MAX_PERMITS}. */
    private int permitsAt(String semaphoreName, int base) {
        int permits = memory.getInt(base + SemaphoreDescriptor.PERMITS_OFFSET);
        if (permits < 1 || permits > NamedSemaphore.MAX_PERMITS) {
            throw corrupted("semaphore '" + semaphoreName + "'", "its permit count holds " + permits + ", not 1 to "
                    + NamedSemaphore.MAX_PERMITS);
        }
        return permits;
    }

    private SpaceFormatException corrupted(String object, String what) {
        return corrupted(name, object, what);
    }

    /**
     * What a check of a number read from the file throws when the number cannot be used: which
     * space, which object, what it holds, what to do.
     */
    static SpaceFormatException corrupted(String spaceName, String object, String what) {
        return new SpaceFormatException("space '" + spaceName + "' is corrupted: " + object + ": " + what
                + ". Not used; find all damage with 'futex-ra --space " + spaceName + " check', and remove the file"
                + " when no process uses it.");
    }

    @Override
    public List<ObjectInfo> objects() {
        checkOpen();
        return new ObjectReader(memory, slots, participants).readAll();
    }

    /** The space's counters with this process's figures, shared by its handles of the file. */
    @Override
    public SpaceStatistics statistics(Set<String> names, int top) {
        return participation.figures.statistics(name, objects(), names, top);
    }

    /** This process's figures of lock {@code lockName}, or {@code null} when figures are off. */
    LockFigures figures(String lockName) {
        return participation.figures.of(lockName);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            process.closed(participation); // participants retire once they hold nothing, each on its own thread
            process.retireClosedOnThisThread(); // the others when their thread next registers
            mapped.release(); // drops this handle's shared lock on the file
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
        ThreadContext c = participation.current();
        if (c != null) {
            return c;
        }
        checkOpen();
        return participation.thread(participants, process.currentThread(), process.pid);
    }

    Participants participants() {
        return participants;
    }

    /** This process's participation in the file (shared with its other handles of the file). */
    Participation participation() {
        return participation;
    }

    /**
     * The keeper's participant in this space, registered on the keeper thread on first use; after
     * that one volatile read.
     */
    ThreadContext keeperContext() {
        ThreadContext keeper = participation.keeper;
        if (keeper != null) {
            return keeper;
        }
        synchronized (process.keeper) {
            if (participation.keeper == null) {
                checkOpen();
                participation.keeper = process.keeper.call(() -> participation.register(participants,
                        process.currentThread(), Participants.KIND_PROCESS, process.pid));
            }
            return participation.keeper;
        }
    }

    /**
     * Counts a process-owned hold about to be taken and returns the keeper participant it will
     * name: the keeper (and the clock) stay alive until {@link #processHoldClosed()}.
     */
    ThreadContext processHoldOpening() {
        ThreadContext keeper = keeperContext();
        participation.processHolds.opened();
        return keeper;
    }

    /** An acquisition for the keeper participant, made by the calling thread. */
    interface ProcessAcquisition<T> {
        T acquire(ThreadContext keeper);
    }

    /**
     * Runs {@code acquisition} for the keeper, counted as a process-owned hold
     * ({@link #processHoldOpening()}) that ends if the acquisition fails.
     */
    <T> T forProcess(ProcessAcquisition<T> acquisition) {
        ThreadContext keeper = processHoldOpening();
        boolean taken = false;
        try {
            T held = acquisition.acquire(keeper);
            taken = true;
            return held;
        } finally {
            if (!taken) {
                processHoldClosed();
            }
        }
    }

    /** A process-owned hold closed, or one counted by {@link #processHoldOpening()} was not taken. */
    void processHoldClosed() {
        participation.processHolds.closed();
    }

    Kernel kernel() {
        return process.kernel;
    }

    int pid() {
        return process.pid;
    }

    long millis() {
        return process.clock.millis();
    }

    /** " (held by pid P, thread T)" for error messages, or "" if nobody holds the slot. */
    String describeHolder(int base) {
        return ObjectReader.describeHolder(memory, participants, base);
    }
}
