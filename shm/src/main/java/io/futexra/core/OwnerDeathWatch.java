package io.futexra.core;

import static io.futexra.core.LockDescriptor.DEAD_OWNER_TOKEN_OFFSET;
import static io.futexra.core.LockDescriptor.DEATHS_WORD_OFFSET;
import static io.futexra.core.LockDescriptor.LOCK_WORD_OFFSET;
import static io.futexra.core.LockDescriptor.WATCHERS_OFFSET;
import static io.futexra.core.RobustMutex.OWNER_DIED;
import static io.futexra.core.RobustMutex.TID_MASK;
import static io.futexra.core.RobustMutex.WAITERS;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

import io.futexra.LockPolicy;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Watches a named lock for the death of its holder, with the kernel's robust-futex wake of the
 * holder's alive word as the notification: no polling. One watch is three futex words in the {@link EventDispatcher} leader's
 * {@code futex_waitv}: the lock word, the slot's deaths word, and the holder's alive word (see
 * {@link Participants}; the deaths word again while nobody holds the lock).
 *
 * <p>Protocol (the holder's death: the kernel marks its alive word and wakes one sleeper of it;
 * whoever finds the holder dead reaps the lock word — {@code OWNER_DIED}, no owner, keeping
 * {@code WAITERS} — and wakes every sleeper of both words, see {@link RobustMutex}):
 * <ol>
 * <li><b>Keep WAITERS set.</b> Before sleeping, the watcher sets {@code WAITERS} on the lock word
 *     whatever its state (held or free), by CAS, and sleeps on exactly the value it set. Greedy
 *     acquirers keep {@code WAITERS} when they take a word that has it (the contended path and
 *     {@code tryLock} both do), so the bit survives acquisitions, and every change of holder
 *     wakes the watcher (a release wakes the word's sleepers; an acquirer that takes a word
 *     carrying {@code WAITERS} while {@code WATCHERS} is counted wakes them all, see
 *     {@code RobustMutex.announceNewOwner}), which then watches the new holder's alive word (with {@code WAITERS} set
 *     on it, so its death wakes somebody). Any change the watcher missed (a death before its CAS,
 *     a release) makes the kernel refuse the sleep ({@code EAGAIN}), so it looks again.</li>
 * <li><b>The death wake.</b> If the kernel's wake of the alive word, or a reaper's wake of the
 *     lock word, reaches the watcher, the watcher finds the holder dead (it reaps the word
 *     itself if nobody did) and the word abandoned ({@code OWNER_DIED}, no owner): a death. The dead holder's fencing token is the
 *     slot's token, read between two reads of the unchanged word.</li>
 * <li><b>Pass on stolen wakes.</b> The watcher sleeps in the same kernel queue as real waiters,
 *     so a wake meant for one of them (a release's {@code FUTEX_WAKE 1}) may reach it. After every sleep, if the word has no owner and real waiters are counted in the
 *     slot's {@code SLEEPERS} (watchers are not counted), it passes one wake on
 *     ({@code FUTEX_WAKE 1}). Watchers never pass wakes to each other endlessly: a wake is passed
 *     on only while a real waiter sleeps, and the kernel queue is FIFO, so the real waiter gets
 *     it within as many hops as there are watchers.</li>
 * <li><b>A real waiter got the death wake.</b> It acquires with {@code ACQUIRED_OWNER_DIED} and,
 *     in {@code ShmNamedLock.recordAcquisition}, writes the dead holder's token to
 *     {@code DEAD_OWNER_TOKEN}, bumps the {@code DEATHS_WORD} and wakes it. The watcher sleeps on
 *     that word too, so it learns at once; {@code recovered} is then true.</li>
 * <li><b>Other watchers.</b> The kernel wakes one sleeper of the alive word only; the reaper
 *     passes it on to all of them, and the watcher that finds the word abandoned first wakes
 *     every sleeper of the word, once per death it reports, so watchers in
 *     other servers (and real waiters, who then take the lock over) learn too.</li>
 * <li><b>Once per death.</b> Both ways name the death by the dead holder's fencing token; the
 *     watcher reports each token once.</li>
 * </ol>
 *
 * <p>Counting. While it looks and sleeps, the watcher counts itself in the slot's
 * {@code WATCHERS} word, never in {@code SLEEPERS}: listings show watchers apart from waiters, and
 * an acquirer that finds the word free (with only the watcher's {@code WAITERS}) takes it without
 * spinning or sleeping, which is not counted as contended.
 *
 * <p>Costs and limits. While watched, every release of the lock makes a {@code FUTEX_WAKE} system
 * call and every acquisition takes the slow path's first look (no spin, no sleep). The bit stays set on a free word after the watch ends;
 * the next release clears it. A lock already abandoned when the watch starts is reported at once.
 * Only greedy locks: a {@code FAIR} lock reads {@code WAITERS} on a free word as "somebody is
 * queued" and would refuse every newcomer. A holder that hangs or is stopped is not dead.
 */
final class OwnerDeathWatch {

    /** How many entries of the dispatcher's futex_waitv one watch uses. */
    static final int WORDS = 3;

    private final ShmNamedLock lock;
    private final Participants participants;
    private final SharedMemory memory;
    private final int base;
    private final int word;
    private final long wordAddress;
    private final int deathsWord;
    private final long deathsAddress;
    final Consumer<OwnerDeathNotice> listener;
    /** The highest dead holder's token reported (tokens start at 1). Touched by the leader only. */
    private long lastReported;
    private int deathsSeen;
    private int lastTid;

    OwnerDeathWatch(NamedLock lock, Consumer<OwnerDeathNotice> listener) {
        if (!(lock instanceof ShmNamedLock)) {
            throw new IllegalArgumentException(lock + " is not a futex-ra shared-memory lock");
        }
        this.lock = (ShmNamedLock) lock;
        if (this.lock.options().policy() != LockPolicy.GREEDY) {
            throw new IllegalArgumentException("lock '" + lock.name() + "' is " + this.lock.options().policy()
                    + ": owner-death watches support GREEDY locks only (a FAIR lock reads the WAITERS bit a watcher"
                    + " keeps as a queue and would refuse newcomers)");
        }
        this.listener = listener;
        this.memory = this.lock.memory();
        this.participants = this.lock.space().participants();
        this.base = this.lock.base();
        this.word = base + LOCK_WORD_OFFSET;
        this.wordAddress = memory.addressOf(word);
        this.deathsWord = base + DEATHS_WORD_OFFSET;
        this.deathsAddress = memory.addressOf(deathsWord);
        this.deathsSeen = memory.getIntVolatile(deathsWord); // deaths recovered before the watch are history
    }

    ShmLockSpace space() {
        return lock.space();
    }

    /**
     * Looks once: a death to report (consumed: it will not be reported again), or {@code null}
     * with the {@link #WORDS} words to sleep on set from {@code index} on in {@code sleep}.
     */
    OwnerDeathNotice look(FutexSleep sleep, int index) {
        while (true) {
            int deaths = memory.getIntVolatile(deathsWord);
            if (deaths != deathsSeen) {
                deathsSeen = deaths;
                // the recoverer wrote the token before its getAndAdd of the deaths word
                long dead = memory.getLongAcquire(base + DEAD_OWNER_TOKEN_OFFSET);
                if (dead > lastReported) {
                    lastReported = dead;
                    return notice(dead, true);
                }
                continue;
            }
            int w = lock.mutex().reapIfDead(memory.getIntVolatile(word));
            if ((w & TID_MASK) == 0 && (w & OWNER_DIED) != 0) {
                long dead = memory.getLongVolatile(base + FENCING_TOKEN_OFFSET);
                if (memory.getIntVolatile(word) != w) {
                    continue; // taken over meanwhile: the token may be the new owner's
                }
                if (dead > lastReported) {
                    lastReported = dead;
                    lock.mutex().wakeAll(); // the kernel woke one: the other watchers (and waiters) learn too
                    return notice(dead, false);
                }
            }
            int owner = w & TID_MASK;
            if (owner != 0) {
                lastTid = participants.tidOf(owner);
            }
            if ((w & WAITERS) == 0) {
                if (!memory.compareAndSetInt(word, w, w | WAITERS)) {
                    continue; // the word moved: look again
                }
                w |= WAITERS; // set before sleeping: a death now makes the kernel wake a waiter
            }
            if (owner == 0) {
                sleep.setWord(index + 2, deathsAddress, deaths); // nobody to watch die: the deaths word again
            } else if (!participants.sleepOnOwner(owner, sleep, index + 2)) {
                continue; // died just now: reap it and report
            }
            sleep.setWord(index, wordAddress, w);
            sleep.setWord(index + 1, deathsAddress, deaths);
            return null;
        }
    }

    /** Counts the watcher in {@code WATCHERS} (before its look) in {@code counted}, which lowers it after its sleep. */
    void countWatcher(Sleepers counted) {
        counted.count(memory, base + WATCHERS_OFFSET);
    }

    /** After a sleep: pass on a wake the watcher may have taken from a real waiter. */
    void afterSleep() {
        int w = memory.getIntVolatile(word);
        if ((w & TID_MASK) == 0 && memory.getIntVolatile(base + SLEEPERS_OFFSET) > 0) {
            lock.space().kernel().futexWake(wordAddress, 1);
        }
    }

    private OwnerDeathNotice notice(long deadToken, boolean recovered) {
        return new OwnerDeathNotice(lock.space().name(), lock.name(), deadToken, lastTid, recovered, Instant.now());
    }

    @Override
    public String toString() {
        return "owner-death watch of " + lock;
    }
}
