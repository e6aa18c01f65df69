package io.futexra;

/** What a named object in a space is. A name belongs to one kind for the life of the space. */
public enum ObjectKind {
    /** A reentrant mutual-exclusion lock ({@link NamedLock}). */
    LOCK,
    /** A reader/writer lock ({@link NamedReadWriteLock}). */
    READ_WRITE_LOCK,
    /** A counting semaphore ({@link NamedSemaphore}). */
    SEMAPHORE,
    /** An event ({@link NamedEvent}). */
    EVENT;

    /** {@return the number stored in the space for this kind (0 means "no object")} */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * The kind a space stores as {@code code}.
     *
     * @param code a kind's {@link #code()}, as read from a space
     * @return the kind, or {@code null} if the code names none
     */
    public static ObjectKind fromCode(int code) {
        ObjectKind[] kinds = values();
        return code >= 1 && code <= kinds.length ? kinds[code - 1] : null;
    }
}
