package io.futexra.core;

import io.futexra.kit.SpaceFigures;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * This process's participants in one space file, shared by every open handle of that file in the
 * process (keyed by the file's identity in {@link ProcessContext}), so that a lock taken through
 * one handle is seen as the thread's own through another: each thread registers once per file,
 * and the keeper once, for process-owned holds.
 *
 * <p>Registration goes through whichever handle asks first (its mapping and descriptor); when the
 * last handle closes, every participation is marked so that it retires once it holds nothing
 * ({@link KernelThread#retireClosed}).
 *
 * <p>The participants to mark are known weakly: a thread's participant is held strongly by the
 * thread's own state ({@link KernelThread#contexts}), which {@link ProcessContext} keeps while the
 * thread lives, so an ended thread's entry goes once its {@code Thread} has been collected, and
 * thread churn (a pool replacing its threads) does not grow this set while the file stays open.
 */
final class Participation {

    /**
     * Each thread's participant, registered on first use; weakly, as in {@link ProcessContext} and
     * for the same reason: a server's pooled threads outlive the deployment, and a value of ours in
     * their thread-local maps kept the undeployed RAR's class loader (heap dump of WildFly after
     * redeploys of a RAR used from a servlet: a request thread, {@code threadLocals}, an entry's
     * value, a {@code ThreadContext}, its class, the loader). The strong reference is the thread's
     * own state ({@link KernelThread#contexts}) until the participant retires.
     */
    private final ThreadLocal<WeakReference<ThreadContext>> threads = new ThreadLocal<>();
    /** Every participant registered whose thread's state is still kept, to mark when the last handle closes. */
    private final Set<ThreadContext> made = Collections.newSetFromMap(new WeakHashMap<>());
    /** The keeper's participant: written under the keeper's monitor, read without it once set. */
    volatile ThreadContext keeper;
    /** The process-owned holds open in this file, owned by {@link #keeper}. */
    final ProcessHolds processHolds;
    /** What this process measures of the file's locks, shared by its handles ({@link ShmLockSpace#statistics}). */
    final SpaceFigures figures = SpaceFigures.fromSystemProperty();
    /** Open handles of the file in this process, and the file's identity; guarded by {@link ProcessContext}. */
    int handles;
    Object file;

    private final ProcessContext process;

    Participation(ProcessContext process) {
        this.process = process;
        this.processHolds = new ProcessHolds(process);
    }

    /** The calling thread's participant if it has one (and has not retired), else {@code null}. */
    ThreadContext current() {
        WeakReference<ThreadContext> ref = threads.get();
        return ref == null ? null : ref.get();
    }

    /** The calling thread's participant, registered through {@code participants} if new. */
    ThreadContext thread(Participants participants, KernelThread me, int pid) {
        ThreadContext c = current();
        if (c == null) {
            c = register(participants, me, Participants.KIND_THREAD, pid);
            threads.set(new WeakReference<>(c));
        }
        return c;
    }

    ThreadContext register(Participants participants, KernelThread me, int kind, int pid) {
        ThreadContext c = participants.register(me, kind, pid);
        if (kind == Participants.KIND_PROCESS) {
            c.processHolds = processHolds; // on the keeper thread, which alone reads it (retiring)
        }
        synchronized (made) {
            made.add(c);
        }
        return c;
    }

    /**
     * The file was found truncated: the calling thread's participant, if it has one, leaves
     * without touching the file ({@link Participants#retire}); the next use registers afresh.
     */
    void abandonCurrent() {
        ThreadContext c = current();
        if (c == null) {
            return;
        }
        threads.remove();
        synchronized (made) {
            made.remove(c);
        }
        process.currentThread().contexts.remove(c);
        c.participants.retire(c);
    }

    /** The last handle closed: every participant retires once it holds nothing. */
    void closed() {
        processHolds.fileClosed();
        synchronized (made) {
            for (ThreadContext c : made) {
                c.spaceClosed = true;
            }
        }
    }

    /** How many participants are remembered now (ended threads' are dropped once collected). */
    int remembered() {
        synchronized (made) {
            return made.size();
        }
    }
}
