package io.futexra.core;

import static io.futexra.core.EventDescriptor.EVENT_WORD_OFFSET;
import static io.futexra.core.SlotDescriptor.ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

import io.futexra.EventMode;
import io.futexra.NamedEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@link NamedEvent} on one futex word (Bahmann and Froitzheim: the futex as the one general
 * notification object). The word and a sleeper count live in the event's slot.
 *
 * <pre>
 *  manual reset:  bit 31 SIGNALED | bits 0..30 signal sequence
 *  auto reset:    pending signal count (0 .. MAX_PENDING)
 * </pre>
 *
 * <p>Implementation overview.
 * <ul>
 * <li>Every signal changes the word (the sequence or the count grows), and a waiter sleeps only
 *     while the word holds the value it read: no signal is lost between its check and its
 *     sleep.</li>
 * <li>A waiter counts itself in {@code SLEEPERS} before its last look at the word; a signaller
 *     changes the word before it reads {@code SLEEPERS}. Both are atomic read-modify-writes, so
 *     either the waiter sees the signal or the signaller sees the waiter and calls
 *     {@code FUTEX_WAKE}; signals with nobody asleep make no system call.</li>
 * <li>Manual reset: {@code signal} sets SIGNALED and bumps the sequence, then wakes all;
 *     {@code reset} clears SIGNALED only. A waiter returns when SIGNALED is set <em>or</em> the
 *     sequence moved since it started, so a signal followed at once by a reset still releases
 *     everyone who was waiting (no {@code PulseEvent} race).</li>
 * <li>Auto reset: {@code signal} increments the count and wakes one; a waiter passes by
 *     decrementing it with a CAS, so each signal releases exactly one wait, host-wide. The count
 *     saturates at {@link #MAX_PENDING}: signals beyond it while nobody consumes are merged.</li>
 * <li>The word is untrusted input: a co-writer of the space can put any value there. An auto-reset
 *     count above {@link #MAX_PENDING} is clamped by the waiter that consumes from it (its CAS
 *     writes {@code MAX_PENDING - 1}), and a negative one counts as no signal, which the next
 *     {@code signal} replaces by 1. So one write releases at most {@code MAX_PENDING} waits
 *     (a dispatcher's bogus deliveries: about a second of work), not 2<sup>31</sup>.</li>
 * </ul>
 */
public final class ShmNamedEvent implements NamedEvent {

    static final int SIGNALED = 0x8000_0000;
    static final int SEQUENCE_MASK = 0x7fff_ffff;
    /** The most auto-reset signals an event keeps pending: more are merged into these. */
    static final int MAX_PENDING = 65_535;

    private final ShmLockSpace space;
    private final String name;
    private final EventMode mode;
    private final SharedMemory memory;
    private final int base;
    private final int word;
    private final long wordAddress;

    ShmNamedEvent(ShmLockSpace space, String name, EventMode mode, SharedMemory memory, int base) {
        this.space = space;
        this.name = name;
        this.mode = mode;
        this.memory = memory;
        this.base = base;
        this.word = base + EVENT_WORD_OFFSET;
        this.wordAddress = memory.addressOf(word);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventMode mode() {
        return mode;
    }

    String spaceName() {
        return space.name();
    }

    @Override
    public void signal() {
        space.checkOpen();
        try {
            signalWord();
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    private void signalWord() {
        int w;
        int next;
        do {
            w = memory.getIntVolatile(word);
            next = mode == EventMode.MANUAL_RESET
                    ? SIGNALED | ((w + 1) & SEQUENCE_MASK)
                    : (w < 0 ? 1 : w >= MAX_PENDING ? MAX_PENDING : w + 1); // a count out of range is not ours
        } while (!memory.compareAndSetInt(word, w, next));
        memory.getAndAddLong(base + ACQUISITIONS_OFFSET, 1);
        if (memory.getIntVolatile(base + SLEEPERS_OFFSET) > 0) {
            space.kernel().futexWake(wordAddress, mode == EventMode.MANUAL_RESET ? Integer.MAX_VALUE : 1);
        }
    }

    @Override
    public void reset() {
        space.checkOpen();
        try {
            int w;
            do {
                w = memory.getIntVolatile(word);
            } while (!memory.compareAndSetInt(word, w, mode == EventMode.MANUAL_RESET ? w & SEQUENCE_MASK : 0));
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    @Override
    public boolean isSignaled() {
        space.checkIntact();
        try {
            int w = memory.getIntVolatile(word);
            return mode == EventMode.MANUAL_RESET ? (w & SIGNALED) != 0 : w != 0;
        } catch (InternalError fault) {
            throw space.truncatedUnderUs(fault);
        }
    }

    @Override
    public boolean await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return awaitAny(timeout, this) == 0;
    }

    /** The word's value when a waiter starts: a manual-reset waiter passes once the sequence moves. */
    int start() {
        return memory.getIntVolatile(word);
    }

    /** Outcome of a look at one event: pass, do not pass (sleep on the value seen), or look again. */
    static final int NO = 0;
    static final int YES = 1;
    static final int AGAIN = 2;

    /** Counts a sleeper on this event in {@code counted}: signals wake only while somebody is counted. */
    void countSleeper(Sleepers counted) {
        counted.count(memory, base + SLEEPERS_OFFSET);
    }

    /**
     * The dispatcher's look (edge-triggered for manual reset): {@link #YES} (an auto-reset signal
     * consumed), {@link #AGAIN}, or {@link #NO} with the value judged set as word {@code index} of
     * {@code sleep}. The caller has counted itself a sleeper first.
     */
    int lookInto(int start, FutexSleep sleep, int index) {
        int seen = memory.getIntVolatile(word);
        int verdict = look(start, seen, true);
        if (verdict == NO) {
            sleep.setWord(index, wordAddress, seen);
        }
        return verdict;
    }

    ShmLockSpace space() {
        return space;
    }

    /**
     * Looks at the word once, as {@code seen}: whether a waiter that started at {@code start}
     * passes; for auto reset, consumes the signal that lets it pass. A waiter that does not pass
     * must sleep on exactly {@code seen}, the value it judged: any signal after the look changes the
     * word, so the kernel will not let it sleep through that signal.
     */
    private int look(int start, int seen) {
        return look(start, seen, false);
    }

    /**
     * As {@link #look(int, int)}; {@code edge}: a manual-reset event passes only when signaled
     * since {@code start} (its sequence moved), not merely while it stays signaled — what a
     * dispatcher needs to deliver each signal once.
     */
    private int look(int start, int seen, boolean edge) {
        if (mode == EventMode.MANUAL_RESET) {
            boolean signaledSince = (seen & SEQUENCE_MASK) != (start & SEQUENCE_MASK);
            return signaledSince || (!edge && (seen & SIGNALED) != 0) ? YES : NO;
        }
        if (seen <= 0) {
            return NO;
        }
        int left = Math.min(seen, MAX_PENDING) - 1; // a count above the bound was written by no signal: clamped
        return memory.compareAndSetInt(word, seen, left) ? YES : AGAIN;
    }

    /** See {@link NamedEvent#awaitAny}. */
    public static int awaitAny(Duration timeout, NamedEvent... events) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(events, "events");
        if (events.length == 0 || events.length > FutexSleep.MAX_WORDS) {
            throw new IllegalArgumentException("awaitAny takes 1 to " + FutexSleep.MAX_WORDS + " events, not "
                    + events.length);
        }
        ShmNamedEvent[] shm = new ShmNamedEvent[events.length];
        for (int i = 0; i < events.length; i++) {
            if (!(events[i] instanceof ShmNamedEvent)) {
                throw new IllegalArgumentException("event " + i + " (" + events[i] + ") is not a futex-ra shared-memory"
                        + " event");
            }
            shm[i] = (ShmNamedEvent) events[i];
            shm[i].space.checkOpen();
        }
        try {
            return awaitAny(shm, timeout);
        } catch (InternalError fault) {
            for (ShmNamedEvent event : shm) {
                if (event.space.isFileShort()) {
                    throw event.space.truncatedUnderUs(fault);
                }
            }
            throw fault;
        }
    }

    private static int awaitAny(ShmNamedEvent[] shm, Duration timeout) {
        long deadline = Deadlines.after(timeout);
        int[] starts = new int[shm.length];
        for (int i = 0; i < shm.length; i++) {
            starts[i] = shm[i].start();
        }
        int ready = firstPassing(shm, starts); // signaled already: no sleeper count, no system call
        if (ready >= 0) {
            return ready;
        }
        return awaitAny(shm, starts, false, deadline);
    }

    /**
     * The wait behind {@link NamedEvent#awaitAny}: sleeps on every event word. (The dispatcher's
     * leader has its own loop, which adds its control word and owner-death watches.)
     *
     * @param starts each event's word when the wait began (manual reset passes once its sequence moves)
     * @param edge manual-reset events pass only when signaled since {@code starts}
     * @return the index of a passing event (auto reset: its signal consumed), or -1 on timeout
     */
    static int awaitAny(ShmNamedEvent[] shm, int[] starts, boolean edge, long deadline) {
        ThreadContext me = shm[0].space.thread();
        if (me == ThreadContext.VIRTUAL) {
            return awaitAnyVirtual(shm, starts, edge, deadline);
        }
        while (true) {
            int outcome;
            try (Sleepers counted = Sleepers.around(me.sleep)) {
                for (ShmNamedEvent e : shm) {
                    e.countSleeper(counted); // counted before the last look
                }
                int ready = lookAll(shm, starts, edge, me.sleep);
                if (ready >= 0) {
                    return ready;
                }
                if (ready == -2) {
                    continue; // a consuming CAS lost a race: look again
                }
                outcome = counted.sleepOnWords(shm.length, deadline);
            }
            if (outcome == FutexSleep.TIMED_OUT) {
                return firstPassing(shm, starts, edge);
            }
            if (outcome == FutexSleep.INTERRUPTED) {
                throw WaitFailures.interrupted("event" + (shm.length > 1 ? "s" : "") + " " + names(shm));
            }
        }
    }

    /**
     * {@link #awaitAny(ShmNamedEvent[], int[], boolean, long)} for a virtual thread, which must
     * not sleep in the kernel on its carrier: it looks (a signal already there passes at once, an
     * auto-reset one consumed), re-looks while it spins as a lock's waiter does (a prompt answer
     * then costs no thread hand-off), and then hands the wait, from the same starts, to a waiter
     * thread ({@link KernelWaiter}).
     *
     * <p>The virtual threads of this process that wait for one event queue in the JVM first
     * ({@link VirtualCallers#queue}: a fair semaphore, which parks them), so that one waiter thread
     * sleeps on the event's word however many of them wait. The head looks again before it hands
     * its wait over: after a manual-reset event's signal each of them, in turn, finds its start
     * passed and returns at once; an auto-reset event's signals release them one each, in arrival
     * order. A wait for any of several events does not queue: it has a waiter thread of its own.
     */
    private static int awaitAnyVirtual(ShmNamedEvent[] shm, int[] starts, boolean edge, long deadline) {
        for (int spins = ShmNamedLock.DEFAULT_SPIN_LIMIT; ; spins--) {
            int ready = firstPassing(shm, starts, edge);
            if (ready >= 0) {
                return ready;
            }
            if (spins == 0 || System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.onSpinWait();
        }
        if (shm.length > 1) {
            return KernelWaiter.await(() -> awaitAny(shm, starts, edge, deadline));
        }
        Semaphore queue = VirtualCallers.queue(shm[0].space, shm[0].base, VirtualCallers.EVENT);
        try {
            if (deadline == FutexSleep.FOREVER) {
                queue.acquire();
            } else if (!queue.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return firstPassing(shm, starts, edge); // the time ran out in the queue: one last look
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WaitFailures.interrupted("event " + names(shm));
        }
        try {
            int ready = firstPassing(shm, starts, edge);
            return ready >= 0 ? ready : KernelWaiter.await(() -> awaitAny(shm, starts, edge, deadline));
        } finally {
            queue.release();
        }
    }

    /**
     * One look at every event: the index of one that passes, -2 to look again, or -1 with each
     * word's judged value set up as what {@code sleep} waits on.
     */
    private static int lookAll(ShmNamedEvent[] events, int[] starts, boolean edge, FutexSleep sleep) {
        for (int i = 0; i < events.length; i++) {
            ShmNamedEvent e = events[i];
            int seen = e.memory.getIntVolatile(e.word);
            int verdict = e.look(starts[i], seen, edge);
            if (verdict == YES) {
                return i;
            }
            if (verdict == AGAIN) {
                return -2;
            }
            sleep.setWord(i, e.wordAddress, seen);
        }
        return -1;
    }

    private static int firstPassing(ShmNamedEvent[] events, int[] starts) {
        return firstPassing(events, starts, false);
    }

    static int firstPassing(ShmNamedEvent[] events, int[] starts, boolean edge) {
        for (int i = 0; i < events.length; i++) {
            ShmNamedEvent e = events[i];
            int verdict;
            while ((verdict = e.look(starts[i], e.memory.getIntVolatile(e.word), edge)) == AGAIN) {
                Thread.onSpinWait();
            }
            if (verdict == YES) {
                return i;
            }
        }
        return -1;
    }

    private static String names(ShmNamedEvent[] events) {
        StringBuilder out = new StringBuilder();
        for (ShmNamedEvent e : events) {
            out.append(out.length() == 0 ? "'" : ", '").append(e.name).append("' in space '").append(e.space.name())
                    .append('\'');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "NamedEvent[" + space.name() + "/" + name + ", " + mode + "]";
    }
}
