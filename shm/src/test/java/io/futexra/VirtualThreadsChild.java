package io.futexra;

import io.futexra.testing.CallerThreads;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The child JVM of {@link VirtualThreadsTest}, every caller a virtual thread:
 * <pre>
 * endedholding DIR SPACE LOCK       a virtual thread acquires LOCK and ends without releasing;
 *                                   print ENDED token=T, then live on
 * carriers DIR SPACE LOCK COUNTER N JFR
 *                                   (run with 2 carriers) after a warm-up on LOCK-warm-up with 2
 *                                   waiters, a virtual thread holds LOCK while N virtual
 *                                   threads queue for it, each then takes it once (overlap
 *                                   detector and counter in COUNTER); a JFR recording of
 *                                   jdk.VirtualThreadPinned (threshold 0) is dumped to JFR; print
 *                                   SERVED n=N pinned=P futexPinned=F
 * </pre>
 */
public final class VirtualThreadsChild {

    private VirtualThreadsChild() {
    }

    public static void main(String[] args) {
        ChildMain.exitAfter(() -> {
            try (LockSpace space = LockSpace.open(Path.of(args[1]), args[2])) {
                switch (args[0]) {
                    case "endedholding" -> endedHolding(space.lock(args[3]));
                    case "carriers" -> carriers(space, args[3], SharedCounter.open(Path.of(args[4])),
                            Integer.parseInt(args[5]), Path.of(args[6]));
                    default -> throw new IllegalArgumentException("unknown command " + args[0]);
                }
            }
        });
    }

    private static void endedHolding(NamedLock lock) throws Exception {
        AtomicReference<Held> held = new AtomicReference<>();
        Thread holder = CallerThreads.newThread(true, () -> held.set(lock.acquire()), "ends-holding");
        holder.start();
        holder.join();
        System.out.println("ENDED token=" + held.get().fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void carriers(LockSpace space, String name, SharedCounter counter, int waiters, Path jfr)
            throws Exception {
        served(space.lock(name + "-warm-up"), () -> { }, 2); // the classes of the path loaded, not by a thousand at once
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            served(space.lock(name), () -> {
                counter.enterExclusive();
                counter.incrementPlain();
                counter.exitExclusive();
            }, waiters);
            recording.stop();
            recording.dump(jfr);
        }
        int pinned = 0;
        int futexPinned = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                continue;
            }
            pinned++;
            boolean futex = false;
            if (e.getStackTrace() != null) {
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    futex |= isFutexWait(f);
                }
            }
            if (futex) {
                futexPinned++;
            }
            System.out.println((futex ? "PINNED IN A FUTEX WAIT " : "PINNED ELSEWHERE ") + e);
        }
        System.out.println("SERVED n=" + counter.count() + " pinned=" + pinned + " futexPinned=" + futexPinned);
        System.out.flush();
    }

    /**
     * A frame of a kernel futex wait: {@code Kernel.futexWait}/{@code futexWaitv} (whichever
     * binding) or {@code FutexSleep}, which calls them. Not any frame of package {@code io.futexra}:
     * a virtual thread may pin for a moment elsewhere, e.g. Java 25 pins one that waits for another
     * to finish loading a class ("Contended monitor enter" in {@code BuiltinClassLoader}), and that
     * blocks no carrier in the kernel.
     */
    private static boolean isFutexWait(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return frame.getMethod().getName().startsWith("futexWait") || type.endsWith(".FutexSleep");
    }

    /**
     * A virtual thread takes the lock; {@code waiters} virtual threads then queue for it (each
     * counted before it asks); once all have asked, the holder (still a virtual thread, which
     * needs a carrier to run) sleeps a little more and releases; each waiter takes the lock once
     * and runs {@code inside} while it holds it.
     */
    private static void served(NamedLock lock, Runnable inside, int waiters) throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch taken = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        Thread holder = CallerThreads.newThread(true, () -> {
            try (Held held = lock.acquire()) {
                taken.countDown();
                while (asked.get() < waiters) {
                    Thread.sleep(10); // needs a carrier: the waiters must have left them free
                }
                Thread.sleep(200); // the last ones are asleep by now
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "holder");
        holder.start();
        taken.await();
        for (int i = 0; i < waiters; i++) {
            Thread t = CallerThreads.newThread(true, () -> {
                try {
                    asked.incrementAndGet();
                    try (Held held = lock.acquire()) {
                        inside.run();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "waiter-" + i);
            threads.add(t);
            t.start();
        }
        holder.join();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a virtual thread failed", failure.get());
        }
    }
}
