package io.futexra.core;

/**
 * The header page of a space file (offset 0, {@link #HEADER_LENGTH} bytes): what a space is and its
 * geometry, written once by the creator before the file is linked into place, and the registry
 * mutex that serializes object creation.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   |          MAGIC "FUTEXRA1" (long)      |  0
 *   +-------------------+-------------------+
 *   |  LAYOUT_VERSION   |  HEADER_LENGTH    |  8     LockSpaceLayout.LAYOUT_VERSION; 4096
 *   +-------------------+-------------------+
 *   |  SLOT_LENGTH      |  SLOT_COUNT       |  16    4096; 1 .. SpaceOptions.MAX_CAPACITY
 *   +-------------------+-------------------+
 *   |          FILE_LENGTH (long)           |  24    LockSpaceLayout.fileLength(SLOT_COUNT)
 *   +-------------------+-------------------+
 *   |          CREATED_MILLIS (long)        |  32    wall clock, for listings
 *   +-------------------+-------------------+
 *   |  CREATOR_PID      |  OBJECT_COUNT     |  40    objects published (bumped after each publish)
 *   +-------------------+-------------------+
 *   |          PID_NAMESPACE (long)         |  48    inode of the creator's /proc/self/ns/pid; 0 = unknown
 *   +-------------------+-------------------+
 *   |          reserved, 0 (long)           |  56
 *   +-------------------+-------------------+
 *   |  REGISTRY: a robust mutex laid out as |  64    RobustMutex at base 64: its word at 64,
 *   |  a lock slot's first 256 bytes (only  |        its SLEEPERS at 84, its WATCHERS at 312
 *   |  LockDescriptor's LOCK_WORD, SLEEPERS |        (always 0: nobody watches the registry);
 *   |  and WATCHERS are used)               |        every other byte of 64..319 stays 0
 *   +---------------------------------------+
 *   |  reserved, 0                          |  320 .. 4096
 *   +---------------------------------------+
 * </pre>
 *
 * <p>Not listed by {@code objects()}. Checked when a space is opened ({@code SpaceFile.validate}:
 * magic, version — an older one refused saying so —, lengths, slot count, the recorded against the
 * real file length) and by {@code SpaceChecker} (the same, then the registry word's participant id
 * and the object count against the directory's READY entries).
 */
public final class HeaderDescriptor {

    /** "FUTEXRA1" read as a little-endian long. */
    public static final long MAGIC = 0x3141_5258_4554_5546L;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SLOT_LENGTH_OFFSET = 16;
    public static final int SLOT_COUNT_OFFSET = 20;
    public static final int FILE_LENGTH_OFFSET = 24;
    public static final int CREATED_MILLIS_OFFSET = 32;
    public static final int CREATOR_PID_OFFSET = 40;
    public static final int OBJECT_COUNT_OFFSET = 44;
    /** The creator's PID namespace (inode of {@code /proc/self/ns/pid}): information only, never trusted. */
    public static final int PID_NAMESPACE_OFFSET = 48;
    /** Reserved: zero in every space of this layout. */
    public static final int RESERVED_OFFSET = 56;
    /** The registry mutex's base: a {@link RobustMutex} laid out like a lock slot's first bytes. */
    public static final int REGISTRY_OFFSET = 64;
    /** The registry's extent: as much of a lock slot as holds the fields a {@link RobustMutex} uses. */
    public static final int REGISTRY_LENGTH = HoldRecordDescriptor.RECORDS_OFFSET;
    public static final int HEADER_LENGTH = LockSpaceLayout.PAGE;

    private HeaderDescriptor() {
    }
}
