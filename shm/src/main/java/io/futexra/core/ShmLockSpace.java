package io.futexra.core;

import static io.futexra.core.LockDescriptor.POLICY_OFFSET;
import static io.futexra.core.LockDescriptor.SPIN_LIMIT_OFFSET;

import io.futexra.Dispatcher;
import io.futexra.EventMode;
import io.futexra.FutexRaException;
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
 *
 * <p>Removal. A space file can be removed or replaced under its mappers whatever the lock says
 * (an {@code rm}, a tmp cleaner, systemd-logind's {@code RemoveIPC} at the user's last logout):
 * the mappers keep the old file, and the name no longer leads to it. Once a second, this
 * process's clock thread compares the mapped file's identity (device and inode) with what the
 * path names ({@link SpaceFile.Mapped#removedOrReplaced()}); when they differ the space is
 * <em>lost</em> ({@link #lose}): every acquisition in it reports {@code isHeld()} false and runs its
 * {@code onLost} actions, and every later use of the handle throws a {@link FutexRaException}
 * naming the space and the likely cause. Meanwhile no opener creates a fresh space under the name
 * ({@link NameGuard}). Closing the handle and holds stays possible (their words are in the old
 * file, harmlessly).
 *
 * <p>A space file truncated under us. A process allowed to write the file can shorten it while it
 * is mapped (the {@code flock} is advisory, and tmpfs files cannot be sealed); a page past the new
 * end then faults on access, which HotSpot raises as an {@link InternalError} (see
 * {@link SharedMemory}). Every public entry point of this backend that touches the mapping catches
 * it and calls {@link #truncatedUnderUs}: if the file is indeed shorter than its layout, the handle
 * is broken for good (every later call, releases included, fails at once with
 * the same message, before touching the mapping), the calling thread leaves the space's
 * participant table without touching the file ({@link Participants#retire}), and the caller gets
 * a {@link FutexRaException} naming the space. The kernel's walk at a thread's death never reads
 * a space file (alive words are in each process's own alive file), so a truncation cannot cut
 * recovery in the thread's other spaces.
 * Other handles of the same file in this process learn it at their own first fault.
 */
public final class ShmLockSpace implements LockSpace {

    private final String name;
    private final Path path;
    private final SharedMemory memory;
    private final ProcessContext process;
    private final SlotTable slots;
    private final Participants participants;
    /** The alive files of the space's directory, this process's own among them (see {@link Participants}). */
    private final AliveFiles aliveFiles;
    /** This process's participants in the file, shared with its other handles of the file. */
    private final Participation participation;
    /** Handles by kind and name: asking again is a map lookup. */
    private final ConcurrentHashMap<String, Object> handles = new ConcurrentHashMap<>();
    /**
     * Null while the handle may be used; {@link #CLOSED} once closed, or why the space was lost:
     * one volatile read for {@link #checkOpen()} on every acquisition.
     */
    private volatile String unusable;
    private static final String CLOSED = "closed";
    /** Why the space was lost, once it is ({@link #lose}); null before. */
    private volatile String lost;
    /** Actions of acquisitions asking to be told of a loss; emptied when it happens. */
    private final java.util.Map<AbstractHeld, List<Runnable>> lossActions = new java.util.WeakHashMap<>();
    /** Why the space file is broken (truncated under us), once it is; null before. */
    private volatile String truncation;

    private final SpaceFile.Mapped mapped;

    private ShmLockSpace(String name, SpaceFile.Mapped mapped, ProcessContext process) {
        this.mapped = mapped;
        this.name = name;
        this.path = mapped.path();
        this.memory = mapped.memory();
        this.process = process;
        this.aliveFiles = process.aliveFiles(mapped.directoryFd(), path.getParent());
        try {
            aliveFiles.prepare(); // now, while the space is opened: its first threads then need no new memory
        } catch (RuntimeException refused) {
            process.releaseAliveFiles(aliveFiles);
            mapped.release();
            throw refused;
        }
        this.participants = new Participants(memory, process.kernel, mapped.slotCount(), aliveFiles);
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
        process.watch(space);
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
            T made;
            try {
                made = thread() == ThreadContext.VIRTUAL // the name table's lock may be waited for: not on a carrier
                        ? KernelWaiter.call(() -> factory.make(slots.findOrCreate(objectName, kind, thread(), init)))
                        : factory.make(slots.findOrCreate(objectName, kind, thread(), init));
            } catch (InternalError fault) {
                throw truncatedUnderUs(fault);
            }
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
        try {
            return new ObjectReader(memory, slots, participants).readAll();
        } catch (InternalError fault) {
            throw truncatedUnderUs(fault);
        }
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
        if (unusable != CLOSED) {
            unusable = CLOSED;
            process.unwatch(this);
            process.closed(participation); // participants retire once they hold nothing, each on its own thread
            process.retireClosedOnThisThread(); // the others when their thread next registers
            process.releaseAliveFiles(aliveFiles); // its words in use keep it until they are given back
            mapped.release(); // drops this handle's shared lock on the file
            process.release();
        }
    }

    @Override
    public String toString() {
        return "LockSpace[" + name + " at " + path + "]";
    }

    void checkOpen() {
        String why = unusable;
        if (why != null) {
            throw unusable(why);
        }
    }

    private RuntimeException unusable(String why) {
        if (why == CLOSED) {
            return new IllegalStateException("space '" + name + "' is closed: open it again with LockSpace.open");
        }
        return new FutexRaException(why);
    }

    /** Why the space was lost, or null while it is not. */
    String lostReason() {
        return lost;
    }

    /** Compares the mapped file with what the path names now; loses the space if they differ. Cheap: two statx. */
    void checkStillNamed() {
        if (unusable == null) {
            String what = mapped.removedOrReplaced();
            if (what != null) {
                lose("space '" + name + "' (" + path + ") was " + what + " while this process used it; the likely"
                        + " cause is systemd-logind's RemoveIPC (the owner's last logout removes their /dev/shm"
                        + " files), a tmp cleaner, or an rm. Its locks no longer exclude anyone who opens the name"
                        + " now, so every acquisition in it is lost and this handle is unusable: close it, and open"
                        + " the space again once every process that used the old one has closed it. Keep RemoveIPC"
                        + " and cleaners away from space directories (docs/threat-model.md).");
            }
        }
    }

    /**
     * Marks the space lost for {@code why} (a sentence naming the space, the cause and what to
     * do): acquisitions report {@code isHeld()} false, their {@code onLost} actions run now (on this
     * thread), and every later use of this handle throws. Only the first call counts.
     */
    void lose(String why) {
        List<Runnable> actions = new java.util.ArrayList<>();
        synchronized (lossActions) {
            if (lost != null) {
                return;
            }
            lost = why;
            synchronized (this) {
                if (unusable == null) {
                    unusable = why; // a closed handle stays "closed"
                }
            }
            lossActions.forEach((held, mine) -> {
                if (!held.closedByHolder()) {
                    actions.addAll(mine);
                }
            });
            lossActions.clear();
        }
        runActions(actions);
    }

    private static void runActions(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, e); // the action's failure, not ours
            }
        }
    }

    /**
     * Runs {@code action} when {@code held} is lost — its space lost, or its word found overwritten
     * ({@link #tellOverwrittenHolds}) — unless it was closed by then; at once if it already is.
     */
    void onLost(AbstractHeld held, Runnable action) {
        synchronized (lossActions) {
            if (lost == null && held.holds()) {
                lossActions.computeIfAbsent(held, h -> new java.util.ArrayList<>(1)).add(action);
                return;
            }
        }
        action.run();
    }

    /**
     * Runs the {@code onLost} actions of each acquisition, not closed by its holder, whose word no
     * longer names it: a co-writer of the file overwrote it. Called once a second by the clock
     * thread with {@link #checkStillNamed}; reads one word per acquisition that asked to be told.
     *
     * <p>No false alarm for a release racing with this: a holder marks its acquisition closed
     * before the atomic that frees the word, and {@link AbstractHeld#holds()} reads the word with
     * a volatile read before this reads "closed by holder" again, so a word seen freed (or taken
     * by a later owner) comes with the closed mark.
     */
    void tellOverwrittenHolds() {
        List<Runnable> actions = new java.util.ArrayList<>();
        synchronized (lossActions) {
            if (lost != null || lossActions.isEmpty()) {
                return;
            }
            List<AbstractHeld> overwritten = new java.util.ArrayList<>();
            for (AbstractHeld held : new java.util.ArrayList<>(lossActions.keySet())) {
                if (!held.holds() && !held.closedByHolder()) { // a truncated file: holds() loses the space
                    overwritten.add(held);
                }
            }
            if (lost != null) {
                return; // lose() ran every action
            }
            lossActions.keySet().removeIf(AbstractHeld::closedByHolder); // their actions never run
            for (AbstractHeld held : overwritten) {
                actions.addAll(lossActions.remove(held));
            }
        }
        runActions(actions);
    }

    /**
     * Fails at once if the space file was found truncated; for what works after {@link #close()}
     * too (releasing what is still held), so it ignores a plain close.
     */
    void checkIntact() {
        String why = truncation;
        if (why != null) {
            throw new FutexRaException(why);
        }
    }

    /** The space file's size now, or -1 if unknown (the handle is closed). */
    private synchronized long fileSize() {
        FileStatus status = unusable == CLOSED ? null : process.kernel.stat(mapped.fd(), ""); // fd closed once CLOSED
        return status == null || status.errno() != 0 ? -1 : status.size();
    }

    /** Whether the space file is (or may be, the handle being closed) shorter than its layout. */
    boolean isFileShort() {
        return fileSize() < LockSpaceLayout.fileLength(slots.slotCount());
    }

    /** False once the space file was found truncated. */
    boolean isIntact() {
        return truncation == null;
    }

    /**
     * What a fault of this space's mapping becomes (see the class comment): a
     * {@link FutexRaException} naming the space, the handle broken from now on, the calling thread's
     * participation abandoned. A fault while the file still has its full length is not a
     * truncation and is rethrown as it is.
     */
    FutexRaException truncatedUnderUs(InternalError fault) {
        long expected = LockSpaceLayout.fileLength(slots.slotCount());
        long size = fileSize();
        if (size >= expected) {
            throw fault;
        }
        String why = "space file truncated under us: " + path + " (space '" + name + "') is "
                + (size < 0 ? "shorter than" : size + " bytes, shorter than") + " the " + expected + " bytes its"
                + " layout needs. A process with write permission on the file shortened it while it was in use."
                + " This space is broken in this process: every use of it fails with this error, and what this"
                + " process held there is lost. Close it; once no process uses it, remove the file and recreate the"
                + " space (futex-ra check shows the damage).";
        synchronized (this) {
            if (truncation == null) {
                truncation = why;
            }
        }
        lose(truncation); // holds report isHeld() false and run their onLost actions; every later use throws
        participation.abandonCurrent();
        FutexRaException error = new FutexRaException(truncation);
        error.addSuppressed(fault);
        return error;
    }

    /**
     * The calling thread's participant, registered on first use; {@link ThreadContext#VIRTUAL} for a
     * virtual thread, which has none (see {@link VirtualCallers}).
     */
    ThreadContext thread() {
        ThreadContext c = participation.current();
        if (c != null) {
            return c;
        }
        checkOpen();
        if (VirtualThreads.isVirtual(Thread.currentThread())) {
            return ThreadContext.VIRTUAL;
        }
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
