package io.futexra.core;

import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;

/**
 * {@link NamedReadWriteLock}: the slot's lock word is the writer word (a {@link RobustMutex});
 * its {@link HoldRecords} are the readers, one record per reading thread, announced in the slot's
 * reader mask ({@link ReaderSet}).
 *
 * <p>Implementation overview (writer preference, after the furwock of Franke, Russell and
 * Kirkwood, made robust):
 * <ul>
 * <li>The writer ({@link WriteSide}) takes the writer word like a mutex, then waits until no reader
 *     is inside. Holding the word keeps new readers out, so a stream of readers cannot starve it.</li>
 * <li>A reader ({@link ShmReadLock}) enters only while the writer word has no owner (or is owned by
 *     itself: a downgrade). It claims a record and sets its bit in the mask, <em>then</em> re-reads
 *     the writer word; a writer takes the word, <em>then</em> reads the mask. Both steps are full
 *     fences, so at least one of them sees the other (Dekker; the invariant is written down in
 *     {@link ReaderSet}): if the reader sees a writer it backs out (waking the writer) and waits for
 *     the writer word; otherwise the writer sees the bit and waits.</li>
 * <li>Readers wait on the writer word with {@code WAITERS} set; a writer's release wakes them all.
 *     The kernel's death wake wakes only one, so a waiter that finds the word abandoned wakes the
 *     rest.</li>
 * <li>A reader's or writer's death is learnt from its alive word ({@link Participants}): its
 *     record or the writer word is then reaped to {@code OWNER_DIED}, which counts as free; a dead
 *     reader's bit is cleared by the next writer.</li>
 * </ul>
 */
final class ShmReadWriteLock implements NamedReadWriteLock {

    private final String name;
    private final ShmNamedLock writeLock;
    private final ShmReadLock readLock;

    ShmReadWriteLock(ShmLockSpace space, String name, SharedMemory memory, int base) {
        this.name = name;
        RobustMutex writer = new RobustMutex(memory, space.kernel(), space.participants(), base);
        ReaderSet readers = new ReaderSet(memory, new HoldRecords(memory, space.kernel(), space.participants(), base,
                ReadWriteLockDescriptor.READERS), writer, base);
        this.writeLock = new ShmNamedLock(space, name, memory, base, writer, new WriteSide(space, name, readers));
        this.readLock = new ShmReadLock(space, name, memory, base, readers, writer);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NamedLock readLock() {
        return readLock;
    }

    @Override
    public NamedLock writeLock() {
        return writeLock;
    }

    @Override
    public String toString() {
        return "NamedReadWriteLock[" + name + "]";
    }
}
