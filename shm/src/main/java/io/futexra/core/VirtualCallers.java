package io.futexra.core;

import io.futexra.Held;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Locks, read locks and permits taken by virtual threads (Java 21+).
 *
 * <p>Ownership. A virtual thread has no participant of its own (the kernel knows only the carrier
 * it happens to run on, see {@link KernelThread}). In shared memory its hold is a
 * <em>process-owned</em> one: the word or record names the process's keeper participant
 * ({@link Keeper}), which does not migrate, exactly as {@link io.futexra.NamedLock#acquireForProcess}
 * does. The JVM remembers which virtual thread holds it, as {@code ReentrantLock} does: a
 * thread-local list ({@link Holds}) of its holds, each found by its object (its file's
 * {@link Participation} and slot, so every handle of the file agrees) and kind, with its depth. So, per virtual thread, exactly as per platform
 * thread: a lock and a read lock are reentrant (a re-entry returns the hold's fencing token and
 * touches no shared memory), only the acquiring thread may close a hold ({@link VirtualHeld}
 * refuses any other with {@link IllegalMonitorStateException}), asking for the write lock while
 * holding the read lock is refused, and taking the read lock while holding the write lock (a
 * downgrade) is let in. Process-owned acquisitions by a virtual thread are the process-owned holds
 * they always were.
 *
 * <p>Death. The process's death frees what its virtual threads held: the keeper's alive word is
 * marked by the kernel, so the next holder in any process is told {@code previousOwnerDied}. A
 * virtual thread that ends while holding keeps its holds, as a {@code ReentrantLock} stays
 * locked by a thread that ended: nothing in the JVM reports a virtual thread's end without a
 * thread per virtual thread or a cost on every hold, and releasing a lock behind the back of code
 * that forgot to close it would hand the protected state, half-updated, to the next holder
 * without telling it; the hold ends with the process, and the next holder is then told.
 *
 * <p>Waiting, with no carrier blocked. The fast path runs on the virtual thread: a lock whose
 * word is free is taken for the keeper with one CAS, a free permit with one claim. Otherwise
 * the virtual threads of this process that wait for one object queue in the JVM first, on a
 * fair {@link Semaphore} per object and kind (which parks a virtual thread, freeing its carrier):
 * the one at its head hands the wait itself to a platform waiter thread ({@link KernelWaiter})
 * and parks until it ends, so at most one thread per object and process sleeps in the kernel for
 * virtual threads. Timeouts run from the call (the queue's wait included); an interrupt ends the
 * wait in the queue or on the waiter, with {@link io.futexra.LockInterruptedException} and the
 * flag set. A downgrade never queues (it waits for no writer). A virtual thread's event
 * {@code await} looks, spins briefly, then queues the same way and hands its wait to a waiter
 * ({@link ShmNamedEvent}); a wait for any of several events has a waiter of its own.
 */
final class VirtualCallers {

    /** The holds of the calling virtual thread; touched by that thread only. */
    private static final ThreadLocal<Holds> HOLDS = ThreadLocal.withInitial(Holds::new);
    /** The in-JVM queues, per file (weakly: they go with the participation) and per object and kind. */
    private static final Map<Participation, Map<Long, Semaphore>> QUEUES = Collections.synchronizedMap(new WeakHashMap<>());

    private static final int LOCK = 0;
    private static final int READ = 1;
    private static final int PERMIT = 2;
    /** The waits for one event ({@link ShmNamedEvent}): a queue, and no hold. */
    static final int EVENT = 3;

    private VirtualCallers() {
    }

    /** An object of a file, and which kind of hold on it: what a queue is for. */
    private static final class Key {
        final Participation file;
        final int base;
        final int kind;

        Key(Participation file, int base, int kind) {
            this.file = file;
            this.base = base;
            this.kind = kind;
        }
    }

    private static Key key(ShmLockSpace space, int base, int kind) {
        return new Key(space.participation(), base, kind);
    }

    // ---- locks (and write locks)

    static Held acquire(ShmNamedLock lock, long deadlineNanos, Duration timeout) {
        Holds mine = HOLDS.get();
        Participation file = lock.space().participation();
        Entry held = mine.find(file, lock.base(), LOCK);
        if (held != null) {
            return held.reenter();
        }
        refuseUpgrade(lock, mine, file);
        ProcessHeld free = lock.takeFreeForProcess();
        Held taken = free != null ? free : queued(key(lock.space(), lock.base(), LOCK), deadlineNanos, timeout,
                "lock '" + lock.name() + "'", lock.space(), lock.base(), lock::takeFreeForProcess,
                () -> lock.acquireForProcessUntil(deadlineNanos, timeout));
        return mine.opened(file, lock.base(), LOCK, taken);
    }

    static Optional<Held> tryAcquire(ShmNamedLock lock) {
        Holds mine = HOLDS.get();
        Participation file = lock.space().participation();
        Entry held = mine.find(file, lock.base(), LOCK);
        if (held != null) {
            return Optional.of(held.reenter());
        }
        refuseUpgrade(lock, mine, file);
        return lock.tryAcquireForProcess().map(taken -> mine.opened(file, lock.base(), LOCK, taken));
    }

    static Held acquireForProcess(ShmNamedLock lock, long deadlineNanos, Duration timeout) {
        Key key = key(lock.space(), lock.base(), LOCK);
        if (HOLDS.get().find(key.file, key.base, LOCK) != null) {
            throw new IllegalStateException("lock '" + lock.name() + "' in space '" + lock.space().name() + "' is held by"
                    + " this thread; a process-owned acquisition would wait for it for ever. Release it first.");
        }
        ProcessHeld free = lock.takeFreeForProcess();
        return free != null ? free : queued(key, deadlineNanos, timeout, "lock '" + lock.name() + "'", lock.space(),
                lock.base(), lock::takeFreeForProcess, () -> lock.acquireForProcessUntil(deadlineNanos, timeout));
    }

    static boolean holds(ShmNamedLock lock) {
        return HOLDS.get().find(lock.space().participation(), lock.base(), LOCK) != null;
    }

    private static void refuseUpgrade(ShmNamedLock lock, Holds mine, Participation file) {
        if (lock.isWriteLock() && mine.find(file, lock.base(), READ) != null) {
            throw new IllegalStateException("this thread holds the read lock of '" + lock.name() + "' in space '"
                    + lock.space().name() + "' and asks for its write lock: that would wait for itself for ever."
                    + " Release the read lock first (upgrades are not supported; downgrades are).");
        }
    }

    // ---- read locks

    static Held acquireRead(ShmReadLock lock, long deadlineNanos, Duration timeout, boolean tryOnly) {
        Holds mine = HOLDS.get();
        Key key = key(lock.space(), lock.base(), READ);
        Entry held = mine.find(key.file, key.base, READ);
        if (held != null) {
            return held.reenter();
        }
        boolean downgrade = mine.find(key.file, key.base, LOCK) != null; // the keeper's write hold is this thread's: it lets us in
        Held taken;
        if (tryOnly) {
            taken = KernelWaiter.call(() -> lock.enterForVirtual(deadlineNanos, timeout, true, downgrade));
            if (taken == null) {
                return null;
            }
        } else if (downgrade) {
            taken = KernelWaiter.await(() -> lock.enterForVirtual(deadlineNanos, timeout, false, true));
        } else {
            taken = queued(key, deadlineNanos, timeout, "the read lock of '" + lock.name() + "'", lock.space(),
                    lock.base(), () -> null, () -> lock.enterForVirtual(deadlineNanos, timeout, false, false));
        }
        return mine.opened(key.file, key.base, READ, taken);
    }

    /** Whether the calling virtual thread holds the write lock that {@code lock} is the read side of. */
    static boolean holdsWriteLock(ShmReadLock lock) {
        return HOLDS.get().find(lock.space().participation(), lock.base(), LOCK) != null;
    }

    static boolean holds(ShmReadLock lock) {
        return HOLDS.get().find(lock.space().participation(), lock.base(), READ) != null;
    }

    // ---- semaphores

    static Held acquirePermit(ShmNamedSemaphore semaphore, long deadlineNanos, Duration timeout) {
        return new VirtualHeld(Entry.unlisted(permitForProcess(semaphore, deadlineNanos, timeout)), true);
    }

    static Held acquirePermitForProcess(ShmNamedSemaphore semaphore, long deadlineNanos, Duration timeout) {
        return permitForProcess(semaphore, deadlineNanos, timeout);
    }

    /** A free permit now, owned by the calling virtual thread; null if none is free. */
    static Held tryPermit(ShmNamedSemaphore semaphore) {
        Held free = semaphore.claimFreeForProcess();
        return free == null ? null : new VirtualHeld(Entry.unlisted(free), true);
    }

    private static Held permitForProcess(ShmNamedSemaphore semaphore, long deadlineNanos, Duration timeout) {
        Held free = semaphore.claimFreeForProcess();
        return free != null ? free : queued(key(semaphore.space(), semaphore.base(), PERMIT), deadlineNanos, timeout,
                "a permit of semaphore '" + semaphore.name() + "'", semaphore.space(), semaphore.base(),
                semaphore::claimFreeForProcess, () -> semaphore.acquireForProcessUntil(deadlineNanos, timeout));
    }

    // ---- the queue in the JVM, then the waiter

    /**
     * Waits in this process's queue for the object, then tries {@code again} (the one ahead may
     * have just released it) and else hands {@code wait} to a waiter thread; leaves the queue
     * once the wait ended.
     */
    private static Held queued(Key key, long deadlineNanos, Duration timeout, String what, ShmLockSpace space, int base,
                               Supplier<Held> again, Supplier<Held> wait) {
        Semaphore queue = queue(key);
        enter(queue, deadlineNanos, timeout, what, space, base);
        try {
            Held free = again.get();
            return free != null ? free : KernelWaiter.await(wait);
        } finally {
            queue.release();
        }
    }

    /** The queue of this process's virtual threads waiting for the object at {@code base} of {@code space}. */
    static Semaphore queue(ShmLockSpace space, int base, int kind) {
        return queue(key(space, base, kind));
    }

    private static Semaphore queue(Key key) {
        Map<Long, Semaphore> ofFile;
        synchronized (QUEUES) {
            ofFile = QUEUES.computeIfAbsent(key.file, f -> new ConcurrentHashMap<>());
        }
        return ofFile.computeIfAbsent(((long) key.base << 2) | key.kind, k -> new Semaphore(1, true));
    }

    private static void enter(Semaphore queue, long deadlineNanos, Duration timeout, String what, ShmLockSpace space,
                              int base) {
        try {
            if (deadlineNanos == FutexSleep.FOREVER) {
                queue.acquire();
            } else if (!queue.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw WaitFailures.timedOut(timeout, what, space, space.describeHolder(base));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WaitFailures.interrupted(what, space);
        }
    }

    /** The holds of one virtual thread: few at a time, so an array found by a scan (no key, no hash). */
    static final class Holds {
        private Entry[] entries = new Entry[4];
        private int size;

        Entry find(Participation file, int base, int kind) {
            for (int i = 0; i < size; i++) {
                Entry e = entries[i];
                if (e.base == base && e.kind == kind && e.file == file) {
                    return e;
                }
            }
            return null;
        }

        /** A fresh hold of this thread on the object: listed, and its first level returned. */
        Held opened(Participation file, int base, int kind, Held taken) {
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
            }
            Entry entry = new Entry(this, file, base, kind, taken);
            entries[size++] = entry;
            return new VirtualHeld(entry, true);
        }

        void remove(Entry entry) {
            for (int i = size - 1; i >= 0; i--) {
                if (entries[i] == entry) {
                    entries[i] = entries[--size];
                    entries[size] = null;
                    return;
                }
            }
        }
    }

    /** One object held by one virtual thread: the process-owned hold and how many times it was entered. */
    static final class Entry {
        /** The owner's list, or null for a permit (not reentrant, not looked up). */
        private final Holds holds;
        private final Participation file;
        private final int base;
        private final int kind;
        final Held held;
        private int depth = 1;

        Entry(Holds holds, Participation file, int base, int kind, Held held) {
            this.holds = holds;
            this.file = file;
            this.base = base;
            this.kind = kind;
            this.held = held;
        }

        static Entry unlisted(Held held) {
            return new Entry(null, null, 0, PERMIT, held);
        }

        Held reenter() {
            if (depth == Integer.MAX_VALUE) {
                throw new Error("maximum reentrant acquisitions exceeded: " + held);
            }
            depth++;
            return new VirtualHeld(this, false);
        }

        /** One level closed, on the owner's thread; the last releases the hold. */
        void close() {
            if (--depth == 0) {
                if (holds != null) {
                    holds.remove(this);
                }
                held.close();
            }
        }
    }
}
