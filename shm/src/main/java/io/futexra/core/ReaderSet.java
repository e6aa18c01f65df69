package io.futexra.core;

/**
 * The readers of a {@link ShmReadWriteLock}: one hold record per read hold ({@link HoldRecords}),
 * plus the slot's <em>reader mask</em>, a 64-bit word with bit {@code i} set while record
 * {@code i}'s reader is inside (or entering, or backing out). Both halves of the step that keeps
 * readers and a writer apart are here: {@link #tryEnter} (the reader's) and {@link #anyInside}
 * (the writer's, after it took the writer word).
 *
 * <p>The Dekker step, as an invariant. A reader claims its record, sets its bit (a full fence,
 * {@code getAndBitwiseOr}), <em>then</em> reads the writer word; a writer takes the writer word (a
 * full-fence CAS), <em>then</em> reads the mask. In any interleaving at least one of them sees the
 * other: if the writer reads a mask without the reader's bit, the reader's fence comes later and
 * its read of the writer word sees the writer, so it backs out (clears its bit, frees its record,
 * waking a writer that sleeps on the records). Hence: <b>a reader is inside only while its bit is
 * set, and a writer that holds the word and read the mask 0 has no reader inside</b> (checked by
 * jcstress {@code ReadWriteDekkerStress}: reader and writer racing, both in is forbidden).
 *
 * <p>What the mask buys: the writer's usual case (no reader) is one volatile read instead of a scan
 * of 64 records, and a reader's reentrancy check looks only at the records whose bits are set.
 * Bit order on the way in: claim the record, then set the bit; on the way out: clear the bit, then
 * free the record. So a set bit whose record is free means its reader died inside (its record was
 * reaped) — or the bit was written by someone who may write the file. A writer clears such
 * <em>stale</em> bits, and only while it holds the writer word: a reader that claims that record
 * meanwhile sets the bit again (a no-op), then sees the writer and backs out, clearing it itself.
 * A clear bit over a held record cannot happen but by corruption of the file; it breaks this lock
 * only (a writer would not wait for that reader), never a process.
 *
 * <p>The mask is a long at slot offset 96 ({@link ReadWriteLockDescriptor}), 8-aligned; FAIR locks
 * keep their arrival and turn counters there, and a read/write lock's writer is never FAIR.
 */
final class ReaderSet {

    /** {@link #tryEnter} results (records are 0..63): every record is held. */
    static final int NONE_FREE = HoldRecords.NONE_FREE;
    /** {@link #tryEnter}: a writer holds the word; the reader backed out. */
    static final int WRITER_IN = -2;
    /** {@link #tryEnter} flag: the writer word read "abandoned" (its last owner died). */
    static final int WRITER_DIED = 1 << 17;

    private final SharedMemory memory;
    private final HoldRecords records;
    private final RobustMutex writer;
    private final int mask;

    ReaderSet(SharedMemory memory, HoldRecords records, RobustMutex writer, int base) {
        if (records.count() > Long.SIZE) {
            throw new IllegalArgumentException("a reader mask has 64 bits, not " + records.count());
        }
        this.memory = memory;
        this.records = records;
        this.writer = writer;
        this.mask = base + ReadWriteLockDescriptor.READER_MASK_OFFSET;
    }

    /**
     * The reader's step: claims a record for {@code holder}, announces it in the mask, then looks at
     * the writer word; stays inside only if it lets readers in (no owner, or {@code readerId}
     * itself: a downgrade).
     *
     * @return the record index, with {@link #WRITER_DIED} if the writer word read abandoned; or
     *     {@link #NONE_FREE}, or {@link #WRITER_IN} (nothing held then)
     */
    int tryEnter(ThreadContext holder, int readerId) {
        int claimed = records.claim(holder);
        if (claimed == HoldRecords.NONE_FREE) {
            return NONE_FREE;
        }
        int record = claimed & HoldRecords.INDEX_MASK;
        memory.getAndBitwiseOrLong(mask, 1L << record); // announced (a full fence) before the look
        int w = writer.wordValue();
        if (lets(w, readerId)) {
            return record | (abandoned(w) ? WRITER_DIED : 0);
        }
        leave(record); // a writer came first: it waits for no one who backs out
        return WRITER_IN;
    }

    /** Whether the writer word {@code w} lets reader {@code readerId} in. */
    static boolean lets(int w, int readerId) {
        int owner = w & RobustMutex.TID_MASK;
        return owner == 0 || owner == readerId;
    }

    /** Whether {@code w} reads abandoned: no owner, its last owner died. */
    static boolean abandoned(int w) {
        return (w & RobustMutex.OWNER_DIED) != 0 && (w & RobustMutex.TID_MASK) == 0;
    }

    /** Leaves: clears the bit, then frees the record (waking a writer that sleeps on the records). */
    void leave(int record) {
        memory.getAndBitwiseAndLong(mask, ~(1L << record));
        records.release(record);
    }

    /**
     * The writer's step, by a writer that holds the writer word: whether a reader other than
     * {@code exceptId} (the writer itself, after a downgrade) is inside. One read when none is;
     * clears stale bits (see the class comment).
     */
    boolean anyInside(int exceptId) {
        long bits = memory.getLongVolatile(mask);
        while (bits != 0) {
            int i = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            int holder = records.look(i) & RobustMutex.TID_MASK; // reaps a dead reader's record
            if (holder == 0) {
                memory.getAndBitwiseAndLong(mask, ~(1L << i)); // stale: its reader died inside
            } else if (holder != exceptId) {
                return true;
            }
        }
        return false;
    }

    /** Whether no bit of the mask is set: nobody, this thread included, is inside or announcing. */
    boolean noneAnnounced() {
        return memory.getLongVolatile(mask) == 0;
    }

    /** The record participant {@code id} holds, or -1: looks only at the records whose bits are set. */
    int heldBy(int id) {
        long bits = memory.getLongVolatile(mask);
        while (bits != 0) {
            int i = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            if ((memory.getIntVolatile(records.word(i)) & RobustMutex.TID_MASK) == id) {
                return i;
            }
        }
        return -1;
    }

    int depth(int record) {
        return records.depth(record);
    }

    void setDepth(int record, int depth) {
        records.setDepth(record, depth);
    }

    /** Sleeps until some record may be free (see {@link HoldRecords#sleepUntilAnyFree}). */
    int sleepUntilAnyFree(ThreadContext me, long deadlineNanos) {
        return records.sleepUntilAnyFree(me, deadlineNanos);
    }

    /** Sleeps until the readers but {@code exceptId} may all have left (see {@link HoldRecords#sleepUntilAllFree}). */
    int sleepUntilAllFree(ThreadContext me, long deadlineNanos, int exceptId) {
        return records.sleepUntilAllFree(me, deadlineNanos, exceptId);
    }
}
