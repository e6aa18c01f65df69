package io.futexra.core;

/**
 * Offsets and lengths of a lock-space file: a header page, then a table of fixed-size slots,
 * one per named object. Every multi-byte field is in the machine's native byte order (the kernel
 * reads the futex words); every field is naturally aligned; slots are 64-byte aligned.
 *
 * <pre>
 * Header (HEADER_LENGTH = 4096 bytes)
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |          MAGIC "FUTEXRA1" (long)      |  0
 *   +-------------------+-------------------+
 *   |  LAYOUT_VERSION   |  HEADER_LENGTH    |  8
 *   +-------------------+-------------------+
 *   |  SLOT_LENGTH      |  SLOT_COUNT       |  16
 *   +-------------------+-------------------+
 *   |          FILE_LENGTH (long)           |  24
 *   +-------------------+-------------------+
 *   |          CREATED_MILLIS (long)        |  32
 *   +-------------------+-------------------+
 *   |  CREATOR_PID      |  OBJECT_COUNT     |  40
 *   +-------------------+-------------------+
 *   |  ...                                  |
 *   +---------------------------------------+
 *   |  REGISTRY mutex: a 64-byte robust     |  64   (same layout as a slot's first 40 bytes)
 *   |  mutex taken only to create objects   |
 *   +---------------------------------------+
 *
 * Slot i at HEADER_LENGTH + i * SLOT_LENGTH (SLOT_LENGTH = 512)
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |  LOCK_WORD        |  STATE            |  0    word: owner TID | WAITERS | OWNER_DIED
 *   +-------------------+-------------------+
 *   |  RECURSION        |  HOLDER_PID       |  8    written by the owner only
 *   +-------------------+-------------------+
 *   |  KIND             |  SLEEPERS         |  16
 *   +-------------------+-------------------+
 *   |  ROBUST_PREV (glibc __list.__prev)    |  24   the robust-list node, where glibc's
 *   +---------------------------------------+       pthread_mutex_t keeps it, so that
 *   |  ROBUST_NEXT (glibc __list.__next)    |  32   futex_offset = LOCK_WORD - ROBUST_NEXT = -32
 *   +---------------------------------------+
 *   |  FENCING_TOKEN                        |  40
 *   |  ACQUISITIONS                         |  48   counters: written by the owner only
 *   |  CONTENDED_ACQUISITIONS               |  56
 *   |  OWNER_DIED_COUNT                     |  64
 *   |  HELD_SINCE_MILLIS                    |  72
 *   +-------------------+-------------------+
 *   |  NAME_HASH        |  NAME_LENGTH      |  80
 *   +-------------------+-------------------+
 *   |  POLICY           |  SPIN_LIMIT       |  88
 *   +-------------------+-------------------+
 *   |  NAME: UTF-8, NAME_MAX_LENGTH bytes   |  96
 *   +---------------------------------------+
 *   |  reserved for kind-specific state     |  224 .. 512
 *   +---------------------------------------+
 * </pre>
 *
 * <p>The whole file is zero-filled at creation, and zero is the meaning of every field in a
 * fresh slot: {@code STATE == FREE}, the lock unlocked, all counters 0.
 */
public final class LockSpaceLayout {

    /** "FUTEXRA1" read as a little-endian long. */
    public static final long MAGIC = 0x3141_5258_4554_5546L;
    /** Bumped on any incompatible change of this layout. */
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SLOT_LENGTH_OFFSET = 16;
    public static final int SLOT_COUNT_OFFSET = 20;
    public static final int FILE_LENGTH_OFFSET = 24;
    public static final int CREATED_MILLIS_OFFSET = 32;
    public static final int CREATOR_PID_OFFSET = 40;
    public static final int OBJECT_COUNT_OFFSET = 44;
    /** The registry mutex, laid out like a slot's lock word and robust node. */
    public static final int REGISTRY_OFFSET = 64;
    public static final int HEADER_LENGTH = 4096;

    public static final int LOCK_WORD_OFFSET = 0;
    public static final int STATE_OFFSET = 4;
    public static final int RECURSION_OFFSET = 8;
    public static final int HOLDER_PID_OFFSET = 12;
    public static final int KIND_OFFSET = 16;
    public static final int SLEEPERS_OFFSET = 20;
    public static final int ROBUST_PREV_OFFSET = 24;
    public static final int ROBUST_NEXT_OFFSET = 32;
    public static final int FENCING_TOKEN_OFFSET = 40;
    public static final int ACQUISITIONS_OFFSET = 48;
    public static final int CONTENDED_ACQUISITIONS_OFFSET = 56;
    public static final int OWNER_DIED_COUNT_OFFSET = 64;
    public static final int HELD_SINCE_MILLIS_OFFSET = 72;
    public static final int NAME_HASH_OFFSET = 80;
    public static final int NAME_LENGTH_OFFSET = 84;
    public static final int POLICY_OFFSET = 88;
    public static final int SPIN_LIMIT_OFFSET = 92;
    public static final int NAME_OFFSET = 96;
    public static final int NAME_MAX_LENGTH = 128;
    public static final int KIND_STATE_OFFSET = NAME_OFFSET + NAME_MAX_LENGTH;
    public static final int SLOT_LENGTH = 512;

    /** glibc's {@code futex_offset}: from a robust-list node to its futex word. */
    public static final long ROBUST_FUTEX_OFFSET = LOCK_WORD_OFFSET - ROBUST_NEXT_OFFSET;

    /** Slot states. */
    public static final int STATE_FREE = 0; // must be 0: a new space is zero-filled
    public static final int STATE_READY = 1;

    public static final int DEFAULT_SLOT_COUNT = 4096;
    public static final int MAX_SLOT_COUNT = 1 << 20;

    private LockSpaceLayout() {
    }

    /** Byte offset of slot {@code index} from the start of the file. */
    public static int slotOffset(int index) {
        return HEADER_LENGTH + index * SLOT_LENGTH;
    }

    /** The length of a file holding {@code slotCount} slots. */
    public static long fileLength(int slotCount) {
        return HEADER_LENGTH + (long) slotCount * SLOT_LENGTH;
    }
}
