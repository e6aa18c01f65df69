package io.futexra.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * One thread's way to sleep on a futex word until it is woken, a deadline passes, or the thread
 * is interrupted — the last even while the thread is asleep in the kernel.
 *
 * <p>{@code Thread.interrupt()} does not end a {@code FUTEX_WAIT}. The public hook that does
 * reach a blocked thread is {@link AbstractInterruptibleChannel}: between {@code begin()} and
 * {@code end()}, an interrupt calls {@code implCloseChannel()} on the interrupting thread. Ours
 * bumps a per-thread <em>epoch</em> word and wakes it; the sleeper waits with {@code futex_waitv}
 * on two words, [object word, epoch word]. The epoch is read <em>before</em> {@code begin()}, so an
 * interrupt arriving at any moment before the system call changes the epoch and the kernel
 * returns {@code EAGAIN} at once: no lost interrupt. A fresh channel is made per sleep (slow path
 * only); it is never used as a channel.
 *
 * <p>Where {@code futex_waitv} is missing (Linux before 5.16) the sleep is a timed
 * {@code FUTEX_WAIT_BITSET} on the first word in slices of {@link #FALLBACK_SLICE_NANOS}, checking
 * the interrupt flag between slices; a change of another word is then seen within a slice.
 *
 * <p>Deadlines are absolute {@code CLOCK_MONOTONIC} nanoseconds, the clock behind
 * {@link System#nanoTime()} on Linux HotSpot.
 *
 * <pre>
 *  block (one per thread, 8-aligned native memory)
 *      0  struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved } [128]
 *         the words waited on, then the epoch word last
 *   3072  struct timespec { long tv_sec; long tv_nsec }    the deadline
 *   3088  int epoch
 * </pre>
 */
final class FutexSleep {

    /** Results of {@link #sleep}. WOKEN includes spurious wakes: the caller re-checks its word. */
    static final int WOKEN = 0;
    static final int TIMED_OUT = 1;
    static final int INTERRUPTED = 2;

    /** No deadline. */
    static final long FOREVER = Long.MAX_VALUE;

    static final long FALLBACK_SLICE_NANOS = 50_000_000L;

    /** The kernel's limit on one futex_waitv call. */
    static final int MAX_WAITV = 128;
    /** How many words a caller may wait on at once: one entry is the epoch word. */
    static final int MAX_WORDS = MAX_WAITV - 1;

    private static final int WAITV_LENGTH = 24;
    private static final int WAITV_VAL = 0;
    private static final int WAITV_UADDR = 8;
    private static final int WAITV_FLAGS = 16;
    private static final int TIMESPEC = MAX_WAITV * WAITV_LENGTH;
    private static final int EPOCH = TIMESPEC + 16;
    private static final int BLOCK_LENGTH = EPOCH + 8;
    /** futex_waitv entry flag: a 32-bit futex, shared (no FUTEX2_PRIVATE). */
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Kernel kernel;
    private final SharedMemory block;

    FutexSleep(Kernel kernel) {
        this.kernel = kernel;
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_LENGTH + 8).alignedSlice(8);
        this.block = new SharedMemory(buffer, kernel.addressOf(buffer));
        for (int i = 0; i < MAX_WAITV; i++) {
            block.putInt(i * WAITV_LENGTH + WAITV_FLAGS, FUTEX2_SIZE_U32);
        }
    }

    /**
     * Sleeps while the 32-bit word at {@code wordAddress} holds {@code expected}.
     *
     * @param deadlineNanos absolute {@link System#nanoTime()} value, or {@link #FOREVER}
     * @return {@link #WOKEN}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (interrupt flag left set)
     */
    int sleep(long wordAddress, int expected, long deadlineNanos) {
        setWord(0, wordAddress, expected);
        return sleepOnWords(1, deadlineNanos);
    }

    /**
     * Sets word {@code index} of the next {@link #sleepOnWords} call: sleep while the word at
     * {@code address} holds {@code expected}.
     */
    void setWord(int index, long address, int expected) {
        int entry = index * WAITV_LENGTH;
        block.putLong(entry + WAITV_VAL, expected & 0xffff_ffffL);
        block.putLong(entry + WAITV_UADDR, address);
    }

    /**
     * Sleeps until one of the first {@code count} words set with {@link #setWord} changes or is
     * woken, the deadline passes, or the thread is interrupted.
     *
     * @return {@link #WOKEN}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (interrupt flag left set)
     */
    int sleepOnWords(int count, long deadlineNanos) {
        if (count < 1 || count > MAX_WORDS) {
            throw new IllegalArgumentException("can wait on 1 to " + MAX_WORDS + " words at once, not " + count);
        }
        if (deadlineNanos != FOREVER && deadlineNanos - System.nanoTime() <= 0) {
            return TIMED_OUT;
        }
        return kernel.hasFutexWaitv()
                ? sleepInterruptibly(count, deadlineNanos)
                : sleepInSlices(deadlineNanos);
    }

    private int sleepInterruptibly(int count, long deadlineNanos) {
        int epoch = block.getIntVolatile(EPOCH); // before begin(): a later interrupt changes it
        setWord(count, block.addressOf(EPOCH), epoch);
        long timespec = deadline(deadlineNanos);
        int rc = new InterruptHook().sleep(count + 1, timespec);
        if (rc == -Kernel.ETIMEDOUT) {
            return TIMED_OUT;
        }
        return rc == INTERRUPT_RESULT ? INTERRUPTED : WOKEN; // an index, EAGAIN, EINTR: re-check
    }

    /** Without futex_waitv: a timed wait on the first word only; the caller re-checks all of them. */
    private int sleepInSlices(long deadlineNanos) {
        if (Thread.currentThread().isInterrupted()) {
            return INTERRUPTED;
        }
        long sliceEnd = System.nanoTime() + FALLBACK_SLICE_NANOS;
        boolean lastSlice = deadlineNanos != FOREVER && deadlineNanos - sliceEnd <= 0;
        int rc = kernel.futexWait(block.getLong(WAITV_UADDR), (int) block.getLong(WAITV_VAL),
                deadline(lastSlice ? deadlineNanos : sliceEnd));
        if (Thread.currentThread().isInterrupted()) {
            return INTERRUPTED;
        }
        return rc == -Kernel.ETIMEDOUT && lastSlice ? TIMED_OUT : WOKEN;
    }

    /** Writes the absolute deadline into the block's timespec; 0 (no timeout) for FOREVER. */
    private long deadline(long deadlineNanos) {
        if (deadlineNanos == FOREVER) {
            return 0L;
        }
        block.putLong(TIMESPEC, Math.floorDiv(deadlineNanos, NANOS_PER_SECOND));
        block.putLong(TIMESPEC + 8, Math.floorMod(deadlineNanos, NANOS_PER_SECOND));
        return block.addressOf(TIMESPEC);
    }

    /** Called on the interrupting thread: change the epoch, then wake its sleeper. */
    private void interruptSleeper() {
        block.getAndAddInt(EPOCH, 1);
        kernel.futexWake(block.addressOf(EPOCH), 1);
    }

    private static final int INTERRUPT_RESULT = Integer.MIN_VALUE;

    /** The channel whose only purpose is to be "closed" by {@code Thread.interrupt()}. */
    private final class InterruptHook extends AbstractInterruptibleChannel {

        int sleep(int entries, long timespec) {
            int rc = 0;
            begin(); // if already interrupted, implCloseChannel runs now: the epoch no longer matches
            try {
                rc = kernel.futexWaitv(block.addressOf(0), entries, timespec);
            } finally {
                try {
                    end(true);
                } catch (ClosedByInterruptException interrupted) {
                    rc = INTERRUPT_RESULT;
                } catch (IOException impossible) {
                    throw new AssertionError("end(true) throws only on interrupt", impossible);
                }
            }
            return rc;
        }

        @Override
        protected void implCloseChannel() {
            interruptSleeper();
        }
    }
}
