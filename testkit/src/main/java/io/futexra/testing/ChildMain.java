package io.futexra.testing;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The program run by child JVMs in cross-process tests. Each command prints progress lines the
 * test waits for; a failure prints {@code FAILED} and exits 1.
 *
 * <pre>
 * hammer DIR SPACE LOCK COUNTER_FILE THREADS ITERATIONS TOKENS_FILE
 *     each thread: acquire, check overlap, plain-increment the counter, record (token, count), release
 * viewhammer DIR SPACE LOCK COUNTER_FILE THREADS ITERATIONS
 *     each thread: lock through NamedLock.asLock(), check overlap, plain-increment the counter, unlock
 * hold DIR SPACE LOCK...     acquire every lock, print HELD, sleep until killed
 * holdvariant DIR SPACE LOCK VARIANT   take the LockVariant hold (or, for PERMIT, the one permit of
 *     semaphore LOCK; for READ_SIDE, the read side of read/write lock LOCK), print HELD died=BOOL, sleep
 *     until killed
 * holdproc DIR SPACE LOCK    acquire LOCK for the process, print HELD, sleep until killed
 * holdprocread DIR SPACE RWLOCK   take RWLOCK's read side for the process, print HELD, sleep until killed
 * await DIR SPACE LOCK       acquire (waiting), print ACQUIRED died=BOOL token=T, release, exit
 * race DIR SPACE GO_FILE     wait for GO_FILE, open (maybe create) the space, lock "race", print OPENED
 * rwhammer DIR SPACE LOCK COUNTER_FILE THREADS ITERATIONS
 *     each thread: every 4th iteration write (exclusive, counted), else read (shared, held ~50 µs)
 * holdread / holdwrite DIR SPACE LOCK     take the read / write side, print HELD, sleep until killed
 * semhammer DIR SPACE SEM PERMITS COUNTER_FILE THREADS ITERATIONS [process]   take a permit, hold ~200 µs,
 *     return; with "process": a process-owned permit, every other one returned by a new thread
 * holdpermits DIR SPACE SEM PERMITS N [process]   N threads each take a permit (process-owned with
 *     "process"), print HELD, sleep until killed
 * awaitevent DIR SPACE EVENT MODE         print WAITING, await up to 60 s, print SIGNALED or TIMEOUT
 * consume DIR SPACE EVENT STOP_EVENT COUNTER_FILE THREADS
 *     each thread: awaitAny(auto EVENT, manual STOP_EVENT); count each EVENT pass; end on STOP_EVENT
 * signal DIR SPACE EVENT MODE             signal once
 * signaln DIR SPACE EVENT MODE N          signal N times, print SIGNALED
 * fairwait DIR SPACE LOCK COUNTER_FILE ID  print WAITING, acquire the FAIR lock, print ACQUIRED id= pos=, hold 20 ms
 * holdfair DIR SPACE LOCK                 acquire the FAIR lock, print HELD, sleep until killed
 * chaos DIR SPACE STATE_DIR THREADS SEED CHILD   loop on every kind of object until STATE_DIR/stop (ChaosWorker)
 * crowd DIR SPACE LOCK EVENT COUNTER_FILE N   N threads await the manual EVENT, then take LOCK once
 *     (counted, overlap-checked); prints STARTED, then SERVED n=COUNT
 * holdmany DIR SPACE N    one thread acquires locks m0..m(N-1), printing REFUSED at=I if one is refused,
 *     then HELD n=COUNT; sleeps until killed
 * victim ... / scribble ...   the hostile-writer test's two sides: see HostileWriter
 * damaged DIR SPACE HOW   open the space and its objects, then damage the file under the live mapping
 *     (HOW: truncate | replace), then use every object: print OUTCOME op=... result=..., then DONE
 * </pre>
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) {
        exitAfter(() -> {
            switch (args[0]) {
                case "hammer" -> hammer(args);
                case "viewhammer" -> viewHammer(args);
                case "hold" -> hold(args);
                case "holdvariant" -> holdVariant(args);
                case "grab" -> grab(args);
                case "holdproc" -> holdForProcess(args);
                case "holdprocread" -> holdReadForProcess(args);
                case "await" -> await(args);
                case "race" -> race(args);
                case "rwhammer" -> rwHammer(args);
                case "holdread" -> holdRead(args);
                case "holdwrite" -> holdWrite(args);
                case "semhammer" -> semHammer(args);
                case "holdpermits" -> holdPermits(args);
                case "awaitevent" -> awaitEvent(args);
                case "consume" -> consume(args);
                case "signal" -> signal(args);
                case "signaln" -> signalMany(args);
                case "fairwait" -> fairWait(args);
                case "holdfair" -> holdFair(args);
                case "chaos" -> ChaosWorker.run(args);
                case "damaged" -> damaged(args);
                case "holdmany" -> holdMany(args);
                case "crowd" -> crowd(args);
                case "victim" -> HostileWriter.victim(args);
                case "scribble" -> HostileWriter.scribble(args);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        });
    }

    /** The body of a child program. */
    public interface ChildBody {
        void run() throws Throwable;
    }

    /**
     * Runs a child program's body, then exits the JVM: with 0 when it returned, with 1 after printing
     * {@code FAILED} and the stack trace when it threw (the line tests wait for).
     */
    public static void exitAfter(ChildBody body) {
        try {
            if (CallerThreads.virtualInThisJvm()) {
                onVirtualThread(body);
            } else {
                body.run();
            }
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }

    /** Runs {@code body} on a virtual thread (the body's own caller), waiting for it; rethrows what it threw. */
    private static void onVirtualThread(ChildBody body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread main = CallerThreads.newThread(true, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "virtual-main");
        main.start();
        main.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static LockSpace space(String[] args) {
        return LockSpace.open(Path.of(args[1]), args[2]);
    }

    private static void hammer(String[] args) throws Exception {
        LockSpace space = space(args);
        NamedLock lock = space.lock(args[3]);
        SharedCounter counter = SharedCounter.open(Path.of(args[4]));
        int threads = Integer.parseInt(args[5]);
        int iterations = Integer.parseInt(args[6]);
        long[][] records = new long[threads][iterations * 2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = records[t];
            Thread w = CallerThreads.newThread(() -> {
                try {
                    CallerThreads.checkCaller();
                    for (int i = 0; i < iterations; i++) {
                        try (Held held = lock.acquire()) {
                            counter.enterExclusive();
                            long before = counter.incrementPlain();
                            mine[2 * i] = held.fencingToken();
                            mine[2 * i + 1] = before;
                            counter.exitExclusive();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "hammer-" + t);
            workers.add(w);
        }
        System.out.println("READY");
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("worker failed", failure.get());
        }
        try (OutputStream file = Files.newOutputStream(Path.of(args[7]));
             DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(file))) {
            for (long[] r : records) {
                for (long v : r) {
                    out.writeLong(v);
                }
            }
        }
        System.out.println("DONE");
    }

    private static void viewHammer(String[] args) throws Exception {
        java.util.concurrent.locks.Lock lock = space(args).lock(args[3]).asLock();
        SharedCounter counter = SharedCounter.open(Path.of(args[4]));
        int iterations = Integer.parseInt(args[6]);
        runThreads(Integer.parseInt(args[5]), t -> {
            for (int i = 0; i < iterations; i++) {
                lock.lock();
                try {
                    counter.enterExclusive();
                    counter.incrementPlain();
                    counter.exitExclusive();
                } finally {
                    lock.unlock();
                }
            }
        });
        System.out.println("DONE");
    }

    private static void hold(String[] args) throws Exception {
        LockSpace space = space(args);
        StringBuilder tokens = new StringBuilder();
        for (int i = 3; i < args.length; i++) {
            Held held = space.lock(args[i]).acquire();
            tokens.append(' ').append(held.fencingToken());
        }
        System.out.println("HELD pid=" + ProcessHandle.current().pid() + " tokens=" + tokens.toString().trim());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void holdVariant(String[] args) throws Exception {
        java.time.Duration wait = java.time.Duration.ofSeconds(120);
        Held held = switch (args[4]) {
            case "PERMIT" -> space(args).semaphore(args[3], 1).acquire(wait);
            case "READ_SIDE" -> space(args).readWriteLock(args[3]).readLock().acquire(wait);
            default -> LockVariant.valueOf(args[4]).acquire(space(args), args[3], wait);
        };
        System.out.println("HELD died=" + held.previousOwnerDied());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Takes lock args[3] the moment it is free, by {@code tryAcquire} in a busy loop (a fast-path newcomer), then holds. */
    private static void grab(String[] args) throws Exception {
        io.futexra.NamedLock lock = space(args).lock(args[3]);
        System.out.println("TRYING");
        System.out.flush();
        java.util.Optional<Held> held;
        do {
            held = lock.tryAcquire();
        } while (held.isEmpty());
        System.out.println("HELD died=" + held.get().previousOwnerDied());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void holdForProcess(String[] args) throws Exception {
        LockSpace space = space(args);
        Held held = space.lock(args[3]).acquireForProcess(java.time.Duration.ofSeconds(30));
        System.out.println("HELD pid=" + ProcessHandle.current().pid() + " tokens=" + held.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void holdReadForProcess(String[] args) throws Exception {
        LockSpace space = space(args);
        Held held = space.readWriteLock(args[3]).readLock().acquireForProcess(java.time.Duration.ofSeconds(30));
        System.out.println("HELD pid=" + ProcessHandle.current().pid() + " tokens=" + held.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void await(String[] args) {
        LockSpace space = space(args);
        NamedLock lock = space.lock(args[3]);
        System.out.println("WAITING");
        System.out.flush();
        try (Held held = lock.acquire()) {
            System.out.println("ACQUIRED died=" + held.previousOwnerDied() + " token=" + held.fencingToken());
        }
    }

    private static void race(String[] args) throws Exception {
        Path go = Path.of(args[3]);
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        try (LockSpace space = space(args); Held held = space.lock("race").acquire()) {
            Object inode = Files.getAttribute(Path.of(args[1], args[2] + ".space"), "unix:ino");
            System.out.println("OPENED ino=" + inode + " token=" + held.fencingToken());
        }
    }

    private static void rwHammer(String[] args) throws Exception {
        NamedReadWriteLock rw = space(args).readWriteLock(args[3]);
        SharedCounter counter = SharedCounter.open(Path.of(args[4]));
        int iterations = Integer.parseInt(args[6]);
        runThreads(Integer.parseInt(args[5]), t -> {
            for (int i = 0; i < iterations; i++) {
                if ((i + t) % 4 == 0) {
                    try (Held h = rw.writeLock().acquire()) {
                        counter.enterExclusive();
                        counter.incrementPlain();
                        counter.exitExclusive();
                    }
                } else {
                    try (Held h = rw.readLock().acquire()) {
                        counter.enterShared();
                        busy(50_000);
                        counter.exitShared();
                    }
                }
            }
        });
        System.out.println("DONE");
    }

    private static void holdRead(String[] args) throws Exception {
        Held held = space(args).readWriteLock(args[3]).readLock().acquire();
        System.out.println("HELD pid=" + ProcessHandle.current().pid() + " tokens=" + held.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void holdWrite(String[] args) throws Exception {
        Held held = space(args).readWriteLock(args[3]).writeLock().acquire();
        System.out.println("HELD pid=" + ProcessHandle.current().pid() + " tokens=" + held.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void semHammer(String[] args) throws Exception {
        NamedSemaphore sem = space(args).semaphore(args[3], Integer.parseInt(args[4]));
        SharedCounter counter = SharedCounter.open(Path.of(args[5]));
        int iterations = Integer.parseInt(args[7]);
        boolean forProcess = args.length > 8 && args[8].equals("process");
        runThreads(Integer.parseInt(args[6]), t -> {
            for (int i = 0; i < iterations; i++) {
                Held h = forProcess ? sem.acquireForProcess(java.time.Duration.ofSeconds(120)) : sem.acquire();
                counter.enterShared();
                counter.addAtomic(1);
                busy(200_000);
                counter.exitShared();
                if (forProcess && i % 2 == 1) {
                    Thread closer = new Thread(h::close); // any thread of the process may return it
                    closer.start();
                    closer.join();
                } else {
                    h.close();
                }
            }
        });
        System.out.println("DONE");
    }

    private static void holdPermits(String[] args) throws Exception {
        NamedSemaphore sem = space(args).semaphore(args[3], Integer.parseInt(args[4]));
        int n = Integer.parseInt(args[5]);
        boolean forProcess = args.length > 6 && args[6].equals("process");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                if (forProcess) {
                    sem.acquireForProcess(java.time.Duration.ofSeconds(30));
                    held.countDown();
                    return; // the permit outlives its thread: the process owns it
                }
                sem.acquire();
                held.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        held.await();
        System.out.println("HELD pid=" + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void awaitEvent(String[] args) {
        NamedEvent event = space(args).event(args[3], EventMode.valueOf(args[4]));
        System.out.println("WAITING");
        System.out.flush();
        System.out.println(event.await(java.time.Duration.ofSeconds(60)) ? "SIGNALED" : "TIMEOUT");
    }

    private static void consume(String[] args) throws Exception {
        LockSpace space = space(args);
        NamedEvent event = space.event(args[3], EventMode.AUTO_RESET);
        NamedEvent stop = space.event(args[4], EventMode.MANUAL_RESET);
        SharedCounter counter = SharedCounter.open(Path.of(args[5]));
        long[] mine = new long[1];
        System.out.println("READY");
        System.out.flush();
        runThreads(Integer.parseInt(args[6]), t -> {
            while (NamedEvent.awaitAny(java.time.Duration.ofSeconds(120), event, stop) == 0) {
                counter.addAtomic(1);
                synchronized (mine) {
                    mine[0]++;
                }
            }
        });
        System.out.println("CONSUMED count=" + mine[0]);
    }

    private static void signalMany(String[] args) {
        NamedEvent event = space(args).event(args[3], EventMode.valueOf(args[4]));
        for (int i = Integer.parseInt(args[5]); i > 0; i--) {
            event.signal();
        }
        System.out.println("SIGNALED");
    }

    private static void signal(String[] args) {
        space(args).event(args[3], EventMode.valueOf(args[4])).signal();
        System.out.println("SIGNALED");
    }

    private static void fairWait(String[] args) throws Exception {
        NamedLock lock = space(args).lock(args[3], io.futexra.LockOptions.fair());
        SharedCounter counter = SharedCounter.open(Path.of(args[4]));
        System.out.println("WAITING");
        System.out.flush();
        try (Held held = lock.acquire(java.time.Duration.ofSeconds(60))) {
            long position = counter.addAtomic(1);
            System.out.println("ACQUIRED id=" + args[5] + " pos=" + position + " died=" + held.previousOwnerDied());
            System.out.flush();
            Thread.sleep(20);
        }
    }

    private static void holdFair(String[] args) throws Exception {
        space(args).lock(args[3], io.futexra.LockOptions.fair()).acquire();
        System.out.println("HELD pid=" + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void crowd(String[] args) throws Exception {
        LockSpace space = space(args);
        NamedLock lock = space.lock(args[3]);
        NamedEvent go = space.event(args[4], EventMode.MANUAL_RESET);
        SharedCounter counter = SharedCounter.open(Path.of(args[5]));
        int n = Integer.parseInt(args[6]);
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    started.countDown();
                    if (!go.await(java.time.Duration.ofSeconds(120))) {
                        throw new AssertionError("never signaled");
                    }
                    try (Held h = lock.acquire(java.time.Duration.ofSeconds(120))) {
                        counter.enterExclusive();
                        counter.incrementPlain();
                        counter.exitExclusive();
                    }
                    served.incrementAndGet();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "crowd-" + i);
            threads.add(t);
            t.start();
        }
        started.await();
        System.out.println("STARTED n=" + n);
        System.out.flush();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a waiter failed", failure.get());
        }
        System.out.println("SERVED n=" + served.get());
    }

    private static void holdMany(String[] args) throws Exception {
        LockSpace space = space(args);
        int n = Integer.parseInt(args[3]);
        int held = 0;
        for (int i = 0; i < n; i++) {
            try {
                space.lock("m" + i).acquire();
                held++;
            } catch (io.futexra.FutexRaException refused) {
                System.out.println("REFUSED at=" + i + " " + refused.getMessage());
                break;
            }
        }
        System.out.println("HELD n=" + held + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void damaged(String[] args) throws Exception {
        LockSpace space = space(args);
        NamedLock lock = space.lock("victim");
        NamedSemaphore sem = space.semaphore("victim-sem", 2);
        NamedEvent event = space.event("victim-event", EventMode.AUTO_RESET);
        try (Held warm = lock.acquire()) {
            System.out.println("WARM token=" + warm.fencingToken());
        }
        Path file = Path.of(args[1], args[2] + ".space");
        if (args[3].equals("truncate")) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
        } else {
            Path other = Path.of(args[1], "other.tmp");
            Files.write(other, new byte[] {1, 2, 3});
            Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("DAMAGED " + args[3]);
        System.out.flush();
        attempt("acquire", () -> {
            try (Held h = lock.acquire(java.time.Duration.ofSeconds(2))) {
                return "token=" + h.fencingToken();
            }
        });
        attempt("tryAcquire", () -> lock.tryAcquire().map(h -> {
            h.close();
            return "acquired";
        }).orElse("busy"));
        attempt("semaphore", () -> {
            try (Held h = sem.acquire(java.time.Duration.ofSeconds(2))) {
                return "permit";
            }
        });
        attempt("signal", () -> {
            event.signal();
            return "signaled";
        });
        attempt("objects", () -> space.objects().size() + " objects");
        attempt("lookup", () -> space.lock("another").name());
        System.out.println("DONE");
    }

    private interface Attempt {
        String run() throws Exception;
    }

    private static void attempt(String op, Attempt attempt) {
        String result;
        try {
            result = "ok " + attempt.run();
        } catch (Throwable t) {
            result = "threw " + t.getClass().getName() + ": " + t.getMessage();
        }
        System.out.println("OUTCOME op=" + op + " result=" + result.replace('\n', ' '));
        System.out.flush();
    }

    /**
     * A task per thread index, run on that many threads (platform threads, or virtual ones when
     * {@link CallerThreads#virtualInThisJvm()}); rethrows the first failure.
     */
    public interface ThreadTask {
        void run(int thread) throws Throwable;
    }

    public static void runThreads(int threads, ThreadTask task) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = CallerThreads.newThread(() -> {
                try {
                    CallerThreads.checkCaller();
                    task.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "worker-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("worker failed", failure.get());
        }
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Parses "key=value" out of a line printed by this program. */
    public static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new AssertionError("no " + key + "= in '" + line + "'");
    }
}
