package io.futexra;

/**
 * A named reader/writer lock across processes: many readers or one writer.
 *
 * <p><b>Writer preference.</b> A writer that asks for the lock takes the writer word at once if no
 * other writer holds it; from then on no new reader gets in, and the writer waits only for the
 * readers already inside. A steady stream of readers cannot starve a writer.
 *
 * <p><b>Ownership.</b> Both sides are owned by the acquiring platform thread and reentrant per
 * thread. Each reading thread holds one robust record in shared memory (at most 64 reading threads
 * at once host-wide; a 65th waits for a record), so a reader that dies releases exactly its read
 * hold, and a writer that dies releases the write hold, reported to the next writer (and to
 * readers, until a writer takes over) as {@link Held#previousOwnerDied()}.
 *
 * <p><b>Upgrade</b> (asking for the write lock while holding the read lock) would deadlock and is
 * refused with {@link IllegalStateException}. <b>Downgrade</b> works: acquire the read lock while
 * holding the write lock, then release the write lock.
 */
public interface NamedReadWriteLock {

    /** {@return the lock's name in its space} */
    String name();

    /** {@return the shared side} */
    NamedLock readLock();

    /** {@return the exclusive side} */
    NamedLock writeLock();
}
