package io.futexra.core;

import io.futexra.FutexRaException;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-process state shared by every space handle: the kernel binding, this process's pid, each
 * thread's {@link KernelThread}, the coarse clock and the keeper.
 *
 * <p>A thread's participant mappings (see {@link Participants}) must stay mapped while the thread
 * lives: the kernel walks its robust list when it ends. They are unmapped once the thread's
 * {@code Thread} object has been collected (so the thread has ended and the kernel has walked its
 * list), found on a reference queue polled whenever a thread first uses futex-ra: no cleaner
 * thread.
 *
 * <p>Users (open spaces, and each space file's process-owned holds as one user from the first
 * until the file is closed and none is open, see {@link ProcessHolds}) are counted; the clock runs,
 * and the keeper may run, only while there is one, so an adapter that closes its spaces on stop
 * leaves no thread behind.
 *
 * <p>Each thread reaches its {@link KernelThread} only weakly. In a server, the threads that use the
 * adapter (request and EJB pools, MSC threads) outlive the deployment; a {@code ThreadLocal} value
 * is held strongly by the thread's own map until that entry happens to be expunged, so a value of
 * one of our classes pinned the whole undeployed RAR class loader — its classes, its JNA copy and
 * that copy's native library — for as long as the pooled thread lived (one copy per redeploy). So
 * the thread-local value is a JDK {@link WeakReference}, and the strong reference is the thread's
 * {@link Mappings} entry in {@code liveThreads}: a live process context keeps every live thread's
 * state, and once the deployment is gone nothing in the server's threads leads back to it. A
 * robust-list head of our own (no glibc head: see {@link RobustList}) is registered with the kernel
 * for the thread's whole life, so its buffer (a JDK class) stays held by the thread itself.
 */
final class ProcessContext {

    private static volatile ProcessContext instance;

    final Kernel kernel;
    final int pid;
    final CoarseClock clock = new CoarseClock(this::checkSpaces);
    /** The open space handles, which the clock thread checks once a second ({@link #watch}). */
    private final java.util.Set<ShmLockSpace> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Keeper keeper;
    /** The calling thread's state, weakly: the strong reference is its entry in {@code liveThreads}. */
    private final ThreadLocal<WeakReference<KernelThread>> threads = new ThreadLocal<>();
    /** A robust-list head of our own, held by its thread as long as the kernel may walk it. */
    private final ThreadLocal<ByteBuffer> ownHeads = new ThreadLocal<>();
    private final ReferenceQueue<Thread> endedThreads = new ReferenceQueue<>();
    private final Set<Mappings> liveThreads = ConcurrentHashMap.newKeySet();
    /** Alive files by space directory identity (device and inode), while a handle is open or a word in use. */
    private final Map<Object, AliveFiles> aliveFiles = new HashMap<>();
    /** Participations by space file identity (device and inode), while a handle is open. */
    private final Map<Object, Participation> participations = new HashMap<>();
    private int users;

    private ProcessContext(Kernel kernel) {
        this.kernel = kernel;
        this.keeper = new Keeper();
        this.pid = kernel.getpid();
    }

    static ProcessContext of(Kernel kernel) {
        ProcessContext p = instance;
        if (p == null) {
            synchronized (ProcessContext.class) {
                p = instance;
                if (p == null) {
                    p = new ProcessContext(kernel);
                    instance = p;
                }
            }
        }
        if (p.kernel != kernel) {
            throw new IllegalStateException("one kernel binding per process");
        }
        return p;
    }

    /** One more user: a space opened, or a file's first process-owned hold made ({@link ProcessHolds}). */
    synchronized void retain() {
        if (users++ == 0) {
            clock.start();
        }
    }

    /** One user fewer; the last one stops the clock and the keeper. */
    synchronized void release() {
        if (--users == 0) {
            clock.stop();
            keeper.stop();
        }
    }

    /**
     * Checks, once a second, that each open space's path still names its mapped file
     * ({@link ShmLockSpace#checkStillNamed}) and that its holds that asked to be told of a loss
     * still own their words ({@link ShmLockSpace#tellOverwrittenHolds}).
     */
    void watch(ShmLockSpace space) {
        watched.add(space);
    }

    void unwatch(ShmLockSpace space) {
        watched.remove(space);
    }

    private void checkSpaces() {
        for (ShmLockSpace space : watched) {
            try {
                space.checkStillNamed();
                space.tellOverwrittenHolds();
            } catch (RuntimeException e) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, e); // reported; the clock ticks on
            }
        }
    }

    /** The participation in the file open at {@code fd}, shared by this process's handles of it. */
    synchronized Participation participation(int fd) {
        Object file;
        try {
            file = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd)), BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            throw new FutexRaException("cannot identify an open space file (/proc/self/fd/" + fd + "): " + e, e);
        }
        Participation p = participations.computeIfAbsent(file, f -> new Participation(this));
        p.handles++;
        p.file = file;
        return p;
    }

    /**
     * The alive files of the space directory open at {@code directoryFd} (taken over: closed here
     * or when they are disposed of), counted as used by one more space handle until
     * {@link #releaseAliveFiles}.
     */
    synchronized AliveFiles aliveFiles(int directoryFd, Path directory) {
        FileStatus status = kernel.stat(directoryFd, "");
        if (status.errno() != 0) {
            kernel.close(directoryFd);
            throw new FutexRaException("cannot read the status of directory " + directory + ": "
                    + Errno.describe(status.errno()));
        }
        Object key = List.of(status.device(), status.inode());
        AliveFiles files = aliveFiles.get(key);
        if (files == null) {
            files = new AliveFiles(this, directory, key, directoryFd);
            aliveFiles.put(key, files);
        } else {
            kernel.close(directoryFd);
        }
        files.users++;
        return files;
    }

    /** One more user of {@code files}: a word handed out. */
    synchronized void retainAliveFiles(AliveFiles files) {
        files.users++;
    }

    /** One user of {@code files} fewer; the last one disposes of them (the own file is unlinked). */
    synchronized void releaseAliveFiles(AliveFiles files) {
        if (--files.users == 0) {
            aliveFiles.remove(files.key);
            files.dispose();
        }
    }

    /** A handle of {@code p}'s file closed; the last one ends the participation. */
    synchronized void closed(Participation p) {
        if (--p.handles == 0) {
            participations.remove(p.file);
            p.closed();
        }
    }

    /** Retires the calling thread's participations in closed spaces (a virtual thread has none). */
    void retireClosedOnThisThread() {
        if (!VirtualThreads.isVirtual(Thread.currentThread())) {
            currentThread().retireClosed();
        }
    }

    /** The calling thread's kernel state, made on first use (one gettid, one get_robust_list). */
    KernelThread currentThread() {
        WeakReference<KernelThread> ref = threads.get();
        KernelThread current = ref == null ? null : ref.get();
        if (current == null) {
            current = newThread();
            threads.set(new WeakReference<>(current));
            ByteBuffer own = current.robustList.ownHead();
            if (own != null) {
                ownHeads.set(own);
            }
        }
        return current;
    }

    private KernelThread newThread() {
        for (Object ended; (ended = endedThreads.poll()) != null; ) {
            Mappings m = (Mappings) ended;
            liveThreads.remove(m);
            for (ThreadContext c : m.contexts) {
                c.participants.ended(c);
            }
        }
        KernelThread made = new KernelThread(kernel);
        liveThreads.add(new Mappings(Thread.currentThread(), made, endedThreads));
        return made;
    }

    /** A thread's state and participations (to unmap once the thread is gone), kept while it lives. */
    private static final class Mappings extends WeakReference<Thread> {
        final KernelThread state;
        final List<ThreadContext> contexts;

        Mappings(Thread thread, KernelThread state, ReferenceQueue<Thread> queue) {
            super(thread, queue);
            this.state = state;
            this.contexts = state.contexts;
        }
    }
}
