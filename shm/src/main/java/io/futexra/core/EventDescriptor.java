package io.futexra.core;

/**
 * An event's slot: its mode and its one futex word ({@link ShmNamedEvent}).
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  0                |  (KIND)           |  0
 *   |  0                |  0                |  8
 *   |  0                |  (SLEEPERS)       |  16    waiters, in await or a dispatcher
 *   +-------------------+-------------------+
 *   |  (reserved), 0                        |  24 .. 47   FENCING_TOKEN stays 0
 *   |  (ACQUISITIONS)                       |  48    +1 per signal
 *   |  0                                    |  56 .. 79
 *   +-------------------+-------------------+
 *   |  (NAME_LENGTH)    |  0                |  80
 *   +-------------------+-------------------+
 *   |  MODE             |  EVENT_WORD       |  88    EventMode code; manual reset: bit 31
 *   +-------------------+-------------------+        SIGNALED | bits 0..30 sequence; auto
 *   |  0                |  0                |  96    reset: pending signals (0 .. 2^31-1)
 *   |  0                |  (reserved)       |  104
 *   +-------------------+-------------------+
 *   |  (NAME)                               |  112 .. 239
 *   +---------------------------------------+
 *   |  0: no lock fields, no records        |  240 .. 4095
 *   +---------------------------------------+
 * </pre>
 *
 * <p>In {@code objects()}: the mode, and signaled = SIGNALED set (manual) or EVENT_WORD not 0
 * (auto); acquisitions = the signals. {@code SpaceChecker}: a known MODE, and an auto-reset
 * EVENT_WORD not negative.
 */
public final class EventDescriptor {

    public static final int MODE_OFFSET = 88;
    public static final int EVENT_WORD_OFFSET = 92;

    /** What {@code objects()} reads of an event. */
    static final ListedFields LISTED = new ListedFields(ListedFields.NONE, ListedFields.NONE, ListedFields.NONE,
            ListedFields.NONE, ListedFields.NONE, false, ListedFields.NONE, ListedFields.NONE, MODE_OFFSET,
            EVENT_WORD_OFFSET);

    private EventDescriptor() {
    }
}
