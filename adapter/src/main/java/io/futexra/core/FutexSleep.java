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
 * {@code FUTEX_WAIT_BITSET} in slices of {@link #FALLBACK_SLICE_NANOS}, checking the interrupt
 * flag between slices.
 *
 * <p>Deadlines are absolute {@code CLOCK_MONOTONIC} nanoseconds, the clock behind
 * {@link System#nanoTime()} on Linux HotSpot.
 *
 * <pre>
 *  block (one per thread, 8-aligned native memory)
 *   0  struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved }  the object word
 *  24  struct futex_waitv                                                   the epoch word
 *  48  struct timespec { long tv_sec; long tv_nsec }                        the deadline
 *  64  int epoch
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

    private static final int WAITV_OBJECT = 0;
    private static final int WAITV_EPOCH = 24;
    private static final int WAITV_VAL = 0;
    private static final int WAITV_UADDR = 8;
    private static final int WAITV_FLAGS = 16;
    private static final int TIMESPEC = 48;
    private static final int EPOCH = 64;
    private static final int BLOCK_LENGTH = 72;
    /** futex_waitv entry flag: a 32-bit futex, shared (no FUTEX2_PRIVATE). */
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Kernel kernel;
    private final SharedMemory block;

    FutexSleep(Kernel kernel) {
        this.kernel = kernel;
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_LENGTH + 8).alignedSlice(8);
        this.block = new SharedMemory(buffer, kernel.addressOf(buffer));
        block.putInt(WAITV_OBJECT + WAITV_FLAGS, FUTEX2_SIZE_U32);
        block.putInt(WAITV_EPOCH + WAITV_FLAGS, FUTEX2_SIZE_U32);
        block.putLong(WAITV_EPOCH + WAITV_UADDR, block.addressOf(EPOCH));
    }

    /**
     * Sleeps while the 32-bit word at {@code wordAddress} holds {@code expected}.
     *
     * @param deadlineNanos absolute {@link System#nanoTime()} value, or {@link #FOREVER}
     * @return {@link #WOKEN}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (interrupt flag left set)
     */
    int sleep(long wordAddress, int expected, long deadlineNanos) {
        if (deadlineNanos != FOREVER && deadlineNanos - System.nanoTime() <= 0) {
            return TIMED_OUT;
        }
        return kernel.hasFutexWaitv()
                ? sleepInterruptibly(wordAddress, expected, deadlineNanos)
                : sleepInSlices(wordAddress, expected, deadlineNanos);
    }

    private int sleepInterruptibly(long wordAddress, int expected, long deadlineNanos) {
        int epoch = block.getIntVolatile(EPOCH); // before begin(): a later interrupt changes it
        block.putLong(WAITV_OBJECT + WAITV_VAL, expected & 0xffff_ffffL);
        block.putLong(WAITV_OBJECT + WAITV_UADDR, wordAddress);
        block.putLong(WAITV_EPOCH + WAITV_VAL, epoch & 0xffff_ffffL);
        long timespec = deadline(deadlineNanos);
        int rc = new InterruptHook().sleep(block.addressOf(WAITV_OBJECT), timespec);
        if (rc == -Kernel.ETIMEDOUT) {
            return TIMED_OUT;
        }
        return rc == INTERRUPT_RESULT ? INTERRUPTED : WOKEN; // index 0/1, EAGAIN, EINTR: re-check
    }

    private int sleepInSlices(long wordAddress, int expected, long deadlineNanos) {
        if (Thread.currentThread().isInterrupted()) {
            return INTERRUPTED;
        }
        long sliceEnd = System.nanoTime() + FALLBACK_SLICE_NANOS;
        boolean lastSlice = deadlineNanos != FOREVER && deadlineNanos - sliceEnd <= 0;
        int rc = kernel.futexWait(wordAddress, expected, deadline(lastSlice ? deadlineNanos : sliceEnd));
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

        int sleep(long waitv, long timespec) {
            int rc = 0;
            begin(); // if already interrupted, implCloseChannel runs now: the epoch no longer matches
            try {
                rc = kernel.futexWaitv(waitv, 2, timespec);
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
