package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.PAGE;
import static io.futexra.core.ParticipantDescriptor.PARTICIPANT_GENERATION_OFFSET;
import static io.futexra.core.ParticipantDescriptor.PARTICIPANT_KIND_OFFSET;
import static io.futexra.core.ParticipantDescriptor.PARTICIPANT_PID_OFFSET;
import static io.futexra.core.ParticipantDescriptor.PARTICIPANT_TID_OFFSET;

import io.futexra.FutexRaException;

/**
 * A space's participant table: who may own its words, and how the kernel tells everyone that an
 * owner died without anything per acquisition on a robust list and without any address in the
 * file.
 *
 * <p>A <em>participant</em> is one thread of one process using one space (or the process itself,
 * for process-owned holds, through its keeper thread). It owns one <em>alive word</em> in the
 * table, holding its kernel TID, for its whole life. Object words (locks, the writer word, the
 * registry) hold the owner's participant <em>id</em> instead of a TID:
 * <pre>
 *   id (30 bits) = generation (18 bits) &lt;&lt; 12 | (index + 1)     never 0: index + 1 &gt;= 1
 * </pre>
 *
 * <p>Implementation overview.
 * <ul>
 * <li><b>Registration, once per thread and space, on that thread.</b> The owner maps the table's
 *     page holding its alive word a second time, with a private anonymous page right after it
 *     ({@link Kernel#mapPageWithPrivateTail}). The alive word sits in the page's last 24 bytes,
 *     so its robust-list node, at glibc's {@code futex_offset} of -32 (alive + 32, and glibc's
 *     prev field at alive + 24), lies in the private page. The node is linked once into the
 *     thread's own glibc robust list ({@link RobustList}). Every pointer the kernel's death walk
 *     follows, and every pointer our list code reads, is therefore in private memory: a writer of
 *     the file can change words, never the walk.</li>
 * <li><b>Claim.</b> A free entry has no TID in its alive word (0: never used; {@code OWNER_DIED}:
 *     its owner died or retired). The claimer names the node pending on its robust list, CASes
 *     the alive word to {@code tid | OWNER_DIED} (still "dead" to every reader, but the kernel
 *     clears it if the claimer dies now), bumps {@code GENERATION}, writes pid and tid, links the
 *     node, and only then stores {@code tid} (live). A reader checks the alive word first and
 *     the generation second: if it sees the new live value it also sees the new generation, so
 *     an id of the previous generation can never look alive again.</li>
 * <li><b>Death.</b> When the thread ends (kill -9, crash, or a normal thread exit) the kernel
 *     walks its list, finds the alive word holding the dying TID, stores
 *     {@code OWNER_DIED | (WAITERS if set)} and, if {@code WAITERS} was set, wakes <em>one</em>
 *     sleeper. Everything the participant held is now owned by a dead id.</li>
 * <li><b>Waiting on an owner.</b> A waiter sets {@code WAITERS} on the owner's alive word (CAS,
 *     only while it is alive) and sleeps with {@code futex_waitv} on [object word, alive word]. A
 *     release wakes it through the object word, a death through the alive word. The kernel wakes
 *     one sleeper of the alive word; whoever finds an owner dead calls {@link #passOnDeath},
 *     which wakes all the others (the waiters of every other object the dead one held).</li>
 * <li><b>Take-over.</b> Whoever finds an object word owned by a dead id <em>reaps</em> it: a CAS
 *     to {@code OWNER_DIED | (WAITERS if set)}, exactly what the kernel did to robust words in
 *     layout 1; so every acquirer path that knew "abandoned" works unchanged, and the next
 *     acquirer is told {@code previousOwnerDied}.</li>
 * <li><b>Retirement.</b> A thread whose space handle closed and that holds nothing there
 *     unlinks its node and marks its alive word {@code OWNER_DIED} itself (on its own thread,
 *     the only one that may touch its list), and unmaps its two pages. Mappings of threads that
 *     ended are unmapped once their {@code Thread} is collected ({@link ProcessContext}).</li>
 * </ul>
 *
 * <p>Trust. Every value read here from the file is a number, checked before use: an id's index
 * outside the table, or a generation or alive word that does not match, reads as "dead". A
 * hostile writer of the file can so make owners look dead (locks of <em>this</em> space then
 * change hands wrongly) or alive (waiters then wait until their timeout); it cannot make a
 * process write outside the space or disturb recovery in another space.
 *
 * <p>Limits: {@link ParticipantDescriptor#participantCount} participants per space at once; the
 * generation wraps after 2^18 claims of one entry (an id is reused only if a waiter slept through
 * all of them).
 */
final class Participants {

    static final int INDEX_BITS = 12;
    static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    static final int GENERATION_MASK = (1 << (30 - INDEX_BITS)) - 1;
    static final int KIND_THREAD = 1;
    static final int KIND_PROCESS = 2;

    private final SharedMemory memory;
    private final Kernel kernel;
    private final int slotCount;
    private final int fd;
    /** Entries in the table. */
    private final int count;

    Participants(SharedMemory memory, Kernel kernel, int slotCount, int fd) {
        if (LockSpaceLayout.fileLength(slotCount) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a space of " + slotCount + " slots is too large to address");
        }
        this.memory = memory;
        this.kernel = kernel;
        this.slotCount = slotCount;
        this.fd = fd;
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

    private int page(int index) {
        return (int) LockSpaceLayout.participantPageOffset(slotCount, index);
    }

    private int alive(int index) {
        return page(index) + ParticipantDescriptor.participantAlive(index);
    }

    private int fields(int index) {
        return page(index) + ParticipantDescriptor.participantFields(index);
    }

    /** Whether the alive word value {@code a}, read before the generation, is a live one of {@code id}. */
    private boolean live(int a, int index, int id) {
        return (a & RobustMutex.OWNER_DIED) == 0 && (a & RobustMutex.TID_MASK) != 0
                && (memory.getIntAcquire(fields(index) + PARTICIPANT_GENERATION_OFFSET) & GENERATION_MASK)
                == ((id >>> INDEX_BITS) & GENERATION_MASK);
    }

    /** Whether participant {@code id} lives: its thread (or process) has not died or retired. */
    boolean isAlive(int id) {
        int index = indexOf(id);
        return index >= 0 && live(memory.getIntVolatile(alive(index)), index, id);
    }

    /**
     * Makes entry {@code slot} of {@code sleep} wait on {@code id}'s alive word, with
     * {@code WAITERS} set on it so that the kernel wakes a sleeper at its death; false (nothing
     * set) if {@code id} is dead already: the caller reaps instead of sleeping.
     */
    boolean sleepOnOwner(int id, FutexSleep sleep, int slot) {
        int index = indexOf(id);
        if (index < 0) {
            return false;
        }
        int word = alive(index);
        while (true) {
            int a = memory.getIntVolatile(word);
            if (!live(a, index, id)) {
                return false;
            }
            if ((a & RobustMutex.WAITERS) != 0 || memory.compareAndSetInt(word, a, a | RobustMutex.WAITERS)) {
                sleep.setWord(slot, memory.addressOf(word), a | RobustMutex.WAITERS);
                return true;
            }
        }
    }

    /**
     * Wakes every sleeper of dead participant {@code id}'s alive word: the kernel woke only one,
     * and the others wait for other objects the dead one held. Clears {@code WAITERS} first, so
     * that it happens once per death.
     */
    void passOnDeath(int id) {
        int index = indexOf(id);
        if (index < 0) {
            return;
        }
        int word = alive(index);
        int a = memory.getIntVolatile(word);
        if ((a & RobustMutex.WAITERS) != 0 && !live(a, index, id)
                && memory.compareAndSetInt(word, a, a & ~RobustMutex.WAITERS)) {
            kernel.futexWake(memory.addressOf(word), Integer.MAX_VALUE);
        }
    }

    /** The pid a live participant recorded, or 0. */
    int pidOf(int id) {
        return recorded(id, PARTICIPANT_PID_OFFSET);
    }

    /** The PID namespace a live participant recorded (0: unknown, or not live). */
    long pidNamespaceOf(int id) {
        int index = indexOf(id);
        return index < 0 || !isAlive(id) ? 0
                : memory.getLong(fields(index) + ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET);
    }

    /** The TID a live participant recorded, or 0. */
    int tidOf(int id) {
        return recorded(id, PARTICIPANT_TID_OFFSET);
    }

    private int recorded(int id, int field) {
        int index = indexOf(id);
        if (index < 0 || !isAlive(id)) {
            return 0;
        }
        int value = memory.getInt(fields(index) + field);
        return value > 0 ? value : 0; // a number from the file: only a positive one is a pid or tid
    }

    /**
     * Registers the calling thread, whose kernel state is {@code thread}: claims a free entry,
     * maps its page with a private tail and links its alive word into the thread's robust list.
     */
    ThreadContext register(KernelThread thread, int kind, int pid) {
        thread.retireClosed();
        thread.robustList.checkRoom(1);
        int start = Math.floorMod(thread.tid, count);
        for (int k = 0; k < count; k++) {
            int index = (start + k) % count;
            int a = memory.getIntVolatile(alive(index));
            if ((a & RobustMutex.TID_MASK) == 0) {
                ThreadContext claimed = claim(thread, index, a, kind, pid);
                if (claimed != null) {
                    return claimed;
                }
            }
        }
        throw new FutexRaException("all " + count + " participant entries of this space are taken by"
                + " live threads: at most " + count + " threads (over all processes) may use one space at"
                + " once (a space has room for as many as it has slots, 256 to 2048). Use fewer threads per space (a"
                + " pool), a space of more slots, or spread objects over several spaces. (If far fewer threads use"
                + " it, the table is corrupted: check the space with futex-ra check.)");
    }

    private ThreadContext claim(KernelThread thread, int index, int seen, int kind, int pid) {
        long pages = kernel.mapPageWithPrivateTail(fd, LockSpaceLayout.participantPageOffset(slotCount, index));
        if (pages < 0) {
            throw new FutexRaException("cannot map a participant page of this space (errno " + -pages + "): the"
                    + " process may be out of memory mappings (vm.max_map_count) or the space handle is closed");
        }
        SharedMemory view = new SharedMemory(kernel.view(pages, 2 * PAGE), pages);
        int base = ParticipantDescriptor.participantAlive(index); // the alive word in the view
        RobustList list = thread.robustList;
        list.setPending(view.addressOf(base + ParticipantDescriptor.ROBUST_NEXT_OFFSET)); // a death from here is recovered
        int word = alive(index);
        if (!memory.compareAndSetInt(word, seen, thread.tid | RobustMutex.OWNER_DIED)) { // still dead to readers
            list.clearPending();
            kernel.unmap(pages, 2 * PAGE);
            return null; // another claimer won it
        }
        int fields = fields(index);
        int generation = (memory.getInt(fields + PARTICIPANT_GENERATION_OFFSET) + 1) & GENERATION_MASK;
        memory.putInt(fields + PARTICIPANT_GENERATION_OFFSET, generation);
        memory.putInt(fields + PARTICIPANT_PID_OFFSET, pid);
        memory.putInt(fields + PARTICIPANT_TID_OFFSET, thread.tid);
        memory.putInt(fields + PARTICIPANT_KIND_OFFSET, kind);
        memory.putLong(fields + ParticipantDescriptor.PARTICIPANT_PID_NAMESPACE_OFFSET, SpaceFile.OWN_PID_NAMESPACE);
        list.enqueue(view, base);
        memory.getAndSetInt(word, thread.tid); // live: a full fence after the generation's store
        list.clearPending();
        if ((seen & RobustMutex.WAITERS) != 0) {
            kernel.futexWake(memory.addressOf(word), Integer.MAX_VALUE); // sleepers of the dead one: look again
        }
        int id = generation << INDEX_BITS | (index + 1);
        ThreadContext context = new ThreadContext(thread, id, this, index, view, pages);
        thread.contexts.add(context);
        return context;
    }

    /**
     * Ends {@code context}'s participation, on its own thread, which holds nothing in this space:
     * unlinks its node, marks its alive word dead, unmaps its pages.
     */
    void retire(ThreadContext context) {
        int base = ParticipantDescriptor.participantAlive(context.index);
        RobustList list = context.robustList;
        list.setPending(context.view.addressOf(base + ParticipantDescriptor.ROBUST_NEXT_OFFSET));
        list.dequeue(context.view, base);
        int word = alive(context.index);
        try {
            int old = memory.getIntVolatile(word);
            if ((old & RobustMutex.TID_MASK) == context.tid && memory.compareAndSetInt(word, old, RobustMutex.OWNER_DIED)
                    && (old & RobustMutex.WAITERS) != 0) {
                kernel.futexWake(memory.addressOf(word), Integer.MAX_VALUE);
            }
        } catch (InternalError truncated) {
            // the file was truncated under us (see ShmLockSpace): nobody can read this word any more
        }
        list.clearPending();
        kernel.unmap(context.pages, 2 * PAGE);
    }

    /**
     * Ends {@code context}'s participation, on its own thread, after its space file was found
     * truncated: unlinks its node from the thread's robust list, so that the kernel's walk at the
     * thread's death does not fault on this file's page and stop before the thread's other spaces,
     * and unmaps its pages. Touches nothing in the file; whatever the participant held there is lost.
     */
    void abandon(ThreadContext context) {
        context.robustList.dequeue(context.view, ParticipantDescriptor.participantAlive(context.index));
        kernel.unmap(context.pages, 2 * PAGE);
    }
}
