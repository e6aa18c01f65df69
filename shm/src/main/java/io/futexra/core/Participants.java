package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.PAGE;

import io.futexra.FutexRaException;
import java.lang.invoke.VarHandle;

/**
 * A space's participant table: who may own its words, and how the kernel tells everyone that an
 * owner died, without anything per acquisition on a robust list, without any address in the
 * space file, and without anything the kernel reads at a death lying in a file others may write.
 *
 * <p>A <em>participant</em> is one thread of one process using one space (or the process itself,
 * for process-owned holds, through its keeper thread). It owns one <em>alive word</em>, holding
 * its kernel TID, for its whole life; the word lies in its process's own <em>alive file</em> in the
 * space's directory ({@link AliveFiles}, {@link AliveFileDescriptor}), which only the owner may
 * write. The participant's entry in this table names the word ({@code CLAIM}, see
 * {@link ParticipantDescriptor}). Object words (locks, the writer word, the registry) hold the
 * owner's participant <em>id</em>:
 * <pre>
 *   id (30 bits) = generation (18 bits) &lt;&lt; 12 | (index + 1)     never 0: index + 1 &gt;= 1
 * </pre>
 *
 * <p>Alive word values: {@code tid | WAITERS} live; {@code tid | OWNER_DIED | WAITERS} being
 * claimed (neither live nor free); {@code OWNER_DIED | WAITERS} dead or retired, and 0 never
 * used (both free). The owner keeps {@code WAITERS} set on its own word for its whole life:
 * waiters cannot write the word (they map the file read-only), and the bit makes the kernel wake
 * a sleeper at the death.
 *
 * <p>Implementation overview.
 * <ul>
 * <li><b>Registration, once per thread and space, on that thread.</b> The owner takes a word of
 *     its alive file (its serial bumped), maps that page a second time with a private anonymous
 *     page right after it ({@link Kernel#mapPageWithPrivateTail}); the word sits in the page's last
 *     24 bytes, so its robust-list node, at glibc's {@code futex_offset} of -32, lies in the
 *     private page. It names the node pending on its robust list ({@link RobustList}), writes the
 *     serial and {@code tid | OWNER_DIED | WAITERS}, then claims a free entry of this table: a
 *     compare-and-set of the entry's {@code CLAIM} from what it read to its own word's claim. It
 *     then writes uid, the file's inode, pid, tid, kind, PID namespace, bumps {@code GENERATION}, links the node and
 *     only then stores {@code tid | WAITERS} (live). A death from the pending mark on is recovered:
 *     the kernel examines the pending node too.</li>
 * <li><b>Free entries.</b> An entry is free if its {@code CLAIM} is 0 or names a word that is
 *     not there or free (no TID): its owner died or retired, or its process's file is gone.</li>
 * <li><b>Is an id alive?</b> Its generation is the entry's; the claim's word, read with
 *     {@code pread} from the owner's file (a regular file of the recorded uid and inode, writable
 *     by its owner alone), is live with the claim's serial; and generation and
 *     claim are unchanged after that read. A claimer bumps the generation before its word goes
 *     live, so an id of a previous generation never looks alive again.</li>
 * <li><b>Death.</b> When the thread ends (kill -9, crash, or a normal thread exit) the kernel
 *     walks its list, finds the alive word holding the dying TID in the owner's own file (nobody
 *     else can shorten it, so the walk never stops there), stores {@code OWNER_DIED | WAITERS}
 *     and wakes <em>one</em> sleeper. Everything the participant held is now owned by a dead id.</li>
 * <li><b>Waiting on an owner.</b> A waiter sleeps with {@code futex_waitv} on [object word, the
 *     owner's alive word through its read-only mapping of the owner's file]. A release wakes it
 *     through the object word, a death through the alive word. Whoever finds an owner dead calls
 *     {@link #passOnDeath}, which wakes every sleeper of the dead word (the waiters of every other
 *     object the dead one held).</li>
 * <li><b>Take-over.</b> Whoever finds an object word owned by a dead id <em>reaps</em> it: a CAS
 *     to {@code OWNER_DIED | (WAITERS if set)}, exactly what the kernel did to robust words in
 *     layout 1; so every acquirer path that knew "abandoned" works unchanged, and the next
 *     acquirer is told {@code previousOwnerDied}.</li>
 * <li><b>Retirement.</b> A thread whose space handle closed and that holds nothing there
 *     unlinks its node, marks its word dead, wakes its sleepers, unmaps its two pages and gives
 *     the word back. Words of threads that ended are given back once their {@code Thread} is
 *     collected ({@link ProcessContext}). Nothing of the space file is touched.</li>
 * </ul>
 *
 * <p>Trust. Every value read here from the space file is a number, checked before use: an id's
 * index outside the table, a generation that does not match, a claim naming no file, a file that
 * is not a regular file of the recorded uid writable by its owner alone, a word past its end or of
 * another serial: all read as "dead". A hostile writer of the space can so make owners look dead
 * (locks of <em>this</em> space then change hands wrongly) or alive (pointing a claim at a live
 * word of some alive file: waiters then wait until their timeout); it cannot make a process write
 * outside the space, read an alive file through a mapping, or disturb recovery in another space:
 * whatever the kernel reads at a death is in files only their owners write.
 *
 * <p>Limits: {@link ParticipantDescriptor#participantCount} participants per space at once; the
 * generation wraps after 2^18 claims of one entry and a word's serial after 2^18 hand-outs (an id
 * is reused only if a waiter slept through all of them).
 */
final class Participants {

    static final int INDEX_BITS = 12;
    static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    static final int GENERATION_MASK = (1 << (30 - INDEX_BITS)) - 1;
    static final int KIND_THREAD = 1;
    static final int KIND_PROCESS = 2;
    private static final int LIVE_MARK = RobustMutex.WAITERS;
    private static final int CLAIMING_MARK = RobustMutex.OWNER_DIED | RobustMutex.WAITERS;
    private static final int DEAD = RobustMutex.OWNER_DIED | RobustMutex.WAITERS;

    private final SharedMemory memory;
    private final Kernel kernel;
    private final int slotCount;
    private final AliveFiles alive;
    /** Entries in the table. */
    private final int count;

    Participants(SharedMemory memory, Kernel kernel, int slotCount, AliveFiles alive) {
        if (LockSpaceLayout.fileLength(slotCount) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a space of " + slotCount + " slots is too large to address");
        }
        this.memory = memory;
        this.kernel = kernel;
        this.slotCount = slotCount;
        this.alive = alive;
        this.count = ParticipantDescriptor.participantCount(slotCount);
    }

    /** The index an id names in a table of {@code count} entries, or -1 if it names none (0, or corrupt). */
    static int indexOf(int id, int count) {
        int index = (id & INDEX_MASK) - 1;
        return index >= 0 && index < count ? index : -1;
    }

    private int indexOf(int id) {
        return indexOf(id, count);
    }

    private int entry(int index) {
        return (int) LockSpaceLayout.participantOffset(slotCount, index);
    }

    /** Whether an alive word value is a live one (a TID, not OWNER_DIED). */
    static boolean live(int value) {
        return (value & RobustMutex.OWNER_DIED) == 0 && (value & RobustMutex.TID_MASK) != 0;
    }

    /** {@code id}'s alive word if {@code id} lives (its thread or process has not died or retired), else null. */
    private AliveFiles.Seen liveWord(int id) {
        int index = indexOf(id);
        if (index < 0) {
            return null;
        }
        int e = entry(index);
        int generation = memory.getIntAcquire(e + ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET);
        if ((generation & GENERATION_MASK) != ((id >>> INDEX_BITS) & GENERATION_MASK)) {
            return null;
        }
        long claim = memory.getLongVolatile(e + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
        AliveFiles.Seen seen = alive.look(claim, memory.getInt(e + ParticipantDescriptor.PARTICIPANT_UID_OFFSET),
                inodeOf(e));
        VarHandle.fullFence(); // the word was read before the entry is read again
        if (seen == null || !live(seen.value())
                || memory.getIntVolatile(e + ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET) != generation
                || memory.getLongVolatile(e + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET) != claim) {
            return null;
        }
        return seen;
    }

    /** The alive file's inode the entry records; a 0 there (a forged one) would make the reader look the name up. */
    private long inodeOf(int e) {
        long inode = memory.getLong(e + ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET);
        return inode == 0 ? -1 : inode; // -1 matches no file: an entry without an inode names nobody alive
    }

    /** Whether participant {@code id} lives: its thread (or process) has not died or retired. */
    boolean isAlive(int id) {
        return liveWord(id) != null;
    }

    /**
     * Makes entry {@code slot} of {@code sleep} wait on {@code id}'s alive word (whose
     * {@code WAITERS} its owner keeps set, so that the kernel wakes a sleeper at its death); false
     * if {@code id} is dead already: the caller reaps instead of sleeping.
     */
    boolean sleepOnOwner(int id, FutexSleep sleep, int slot) {
        AliveFiles.Seen seen = liveWord(id);
        if (seen == null) {
            return false;
        }
        sleep.setWord(slot, seen.address(), seen.value());
        return true;
    }

    /**
     * Wakes every sleeper of dead participant {@code id}'s alive word: the kernel woke only one,
     * and the others wait for other objects the dead one held.
     */
    void passOnDeath(int id) {
        int index = indexOf(id);
        if (index < 0) {
            return;
        }
        int e = entry(index);
        long address = alive.address(memory.getLongVolatile(e + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET),
                memory.getInt(e + ParticipantDescriptor.PARTICIPANT_UID_OFFSET));
        if (address != 0) {
            kernel.futexWake(address, Integer.MAX_VALUE); // woken needlessly, a sleeper looks and sleeps again
        }
    }

    /** The pid a live participant recorded, or 0. */
    int pidOf(int id) {
        return recorded(id, ParticipantDescriptor.PARTICIPANT_PID_OFFSET);
    }

    /** The PID namespace a live participant recorded (0: unknown, or not live). */
    long pidNamespaceOf(int id) {
        int index = indexOf(id);
        return index < 0 || !isAlive(id) ? 0
                : memory.getLong(entry(index) + ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET);
    }

    /** The TID a live participant recorded, or 0. */
    int tidOf(int id) {
        return recorded(id, ParticipantDescriptor.PARTICIPANT_TID_OFFSET);
    }

    private int recorded(int id, int field) {
        int index = indexOf(id);
        if (index < 0 || !isAlive(id)) {
            return 0;
        }
        int value = memory.getInt(entry(index) + field);
        return value > 0 ? value : 0; // a number from the file: only a positive one is a pid or tid
    }

    /**
     * Whether the entry whose CLAIM is {@code claim} may be claimed: nobody, or a word not there
     * or free, owns it. Its UID and ALIVE_INODE are not consulted: a claimer writes them after its
     * compare-and-set of CLAIM, and until it has, its entry must not look free.
     */
    private boolean free(long claim) {
        if (claim == 0) {
            return true;
        }
        AliveFiles.Seen seen = alive.look(claim, AliveFiles.ANY_OWNER, 0);
        return seen == null || (seen.value() & RobustMutex.TID_MASK) == 0;
    }

    /**
     * Registers the calling thread, whose kernel state is {@code thread}: takes a word of the
     * process's alive file, links it into the thread's robust list and claims a free entry.
     */
    ThreadContext register(KernelThread thread, int kind, int pid) {
        thread.retireClosed();
        thread.robustList.checkRoom(1);
        AliveFiles.Word word = alive.take();
        long pages = kernel.mapPageWithPrivateTail(word.fd(), AliveFileDescriptor.pageOffset(word.index()));
        if (pages < 0) {
            alive.give(word.index());
            throw new FutexRaException("cannot map a page of this process's alive file (errno " + -pages + "): the"
                    + " process may be out of memory mappings (vm.max_map_count)");
        }
        SharedMemory view = new SharedMemory(kernel.view(pages, 2 * PAGE), pages);
        int base = AliveFileDescriptor.aliveInPage(word.index());
        RobustList list = thread.robustList;
        list.setPending(view.addressOf(base + AliveFileDescriptor.ROBUST_NEXT_OFFSET)); // a death from here is recovered
        view.putInt(base + AliveFileDescriptor.SERIAL_DELTA, word.serial());
        view.getAndSetInt(base, thread.tid | CLAIMING_MARK);
        boolean claimed = false;
        try {
            int start = Math.floorMod(thread.tid, count);
            for (int k = 0; k < count; k++) {
                int index = (start + k) % count;
                int e = entry(index);
                long seen = memory.getLongVolatile(e + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET);
                if (free(seen)
                        && memory.compareAndSetLong(e + ParticipantDescriptor.PARTICIPANT_CLAIM_OFFSET, seen, word.claim())) {
                    ThreadContext context = claimed(thread, index, kind, pid, word, view, pages, base);
                    claimed = true;
                    return context;
                }
            }
        } finally {
            if (!claimed) {
                view.getAndSetInt(base, DEAD);
                list.clearPending();
                kernel.unmap(pages, 2 * PAGE);
                alive.give(word.index());
            }
        }
        throw new FutexRaException("all " + count + " participant entries of this space are taken by"
                + " live threads: at most " + count + " threads (over all processes) may use one space at"
                + " once (a space has room for as many as it has slots, 256 to 2048). Use fewer threads per space (a"
                + " pool), a space of more slots, or spread objects over several spaces. (If far fewer threads use"
                + " it, the table is corrupted: check the space with futex-ra check.)");
    }

    private ThreadContext claimed(KernelThread thread, int index, int kind, int pid, AliveFiles.Word word,
                                  SharedMemory view, long pages, int base) {
        int e = entry(index);
        memory.putInt(e + ParticipantDescriptor.PARTICIPANT_UID_OFFSET, alive.uid());
        memory.putLong(e + ParticipantDescriptor.PARTICIPANT_ALIVE_INODE_OFFSET, alive.ownInode());
        memory.putInt(e + ParticipantDescriptor.PARTICIPANT_PID_OFFSET, pid);
        memory.putInt(e + ParticipantDescriptor.PARTICIPANT_TID_OFFSET, thread.tid);
        memory.putInt(e + ParticipantDescriptor.PARTICIPANT_KIND_OFFSET, kind);
        memory.putLong(e + ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET, SpaceFile.OWN_PID_NAMESPACE);
        int generation = (memory.getInt(e + ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET) + 1) & GENERATION_MASK;
        memory.putIntRelease(e + ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET, generation);
        RobustList list = thread.robustList;
        list.enqueue(view, base);
        view.getAndSetInt(base, thread.tid | LIVE_MARK); // live: a full fence after the generation's store
        list.clearPending();
        int id = generation << INDEX_BITS | (index + 1);
        ThreadContext context = new ThreadContext(thread, id, this, word.index(), view, pages);
        thread.contexts.add(context);
        return context;
    }

    /**
     * Ends {@code context}'s participation, on its own thread, which holds nothing in this space
     * (or whose space file was found truncated: whatever it held there is lost): unlinks its node,
     * marks its alive word dead, wakes its sleepers, unmaps its pages and gives the word back.
     * Touches nothing in the space file.
     */
    void retire(ThreadContext context) {
        int base = AliveFileDescriptor.aliveInPage(context.word);
        RobustList list = context.robustList;
        list.setPending(context.view.addressOf(base + AliveFileDescriptor.ROBUST_NEXT_OFFSET));
        list.dequeue(context.view, base);
        context.view.getAndSetInt(base, DEAD);
        kernel.futexWake(context.view.addressOf(base), Integer.MAX_VALUE);
        list.clearPending();
        kernel.unmap(context.pages, 2 * PAGE);
        alive.give(context.word);
    }

    /** {@code context}'s thread ended (the kernel marked its word): unmaps its pages and gives the word back. */
    void ended(ThreadContext context) {
        kernel.unmap(context.pages, 2L * PAGE);
        alive.give(context.word);
    }
}
