package io.futexra.core;

import java.util.Locale;

/**
 * An alive file: one process's alive words for the spaces of one directory ({@link AliveFiles}),
 * named {@code .futex-ra-alive-<id as 8 hex digits>} in that directory, owned by the process's
 * user, mode 0644 (only its owner may write it). Two words per page, at the page's end:
 *
 * <pre>
 *   0 .. 4071           reserved, 0
 *   4072  ALIVE  (word 2p)      owner TID | WAITERS (live), TID | OWNER_DIED | WAITERS (being claimed),
 *   4076  SERIAL (word 2p)      OWNER_DIED | WAITERS (dead or retired), 0 (never used); SERIAL: bumped
 *   4080  reserved, 0           by the owner each time the word serves a new participation
 *   4088  ALIVE  (word 2p + 1)
 *   4092  SERIAL (word 2p + 1)
 *   4096  -- in the owner's own two-page mapping of this page only: a private page, holding the
 *            robust-list node of each word at ALIVE + ROBUST_PREV_OFFSET (prev) and
 *            ALIVE + ROBUST_NEXT_OFFSET (next)
 * </pre>
 * The words sit in the page's last 24 bytes so that, in the owner's mapping [this page][a
 * private page], glibc's node fields at alive + 24 and alive + 32 fall in the private page:
 * nothing the kernel's death walk follows is in a file, and no address is readable by others.
 * ALIVE and SERIAL form one aligned 8-byte pair, read together with one {@code pread}.
 */
public final class AliveFileDescriptor {

    public static final String NAME_PREFIX = ".futex-ra-alive-";
    /** The most words of one alive file: participations of one process in the spaces of one directory at once. */
    public static final int MAX_WORDS = 8192;
    /** Words the owner adds at a time (the file grows by their pages). */
    public static final int GROWTH_WORDS = 32;
    public static final int ALIVE_OFFSET = LockSpaceLayout.PAGE - 24;
    public static final int ALIVE_STRIDE = 16;
    /** From ALIVE to SERIAL. */
    public static final int SERIAL_DELTA = 4;
    /**
     * From an alive word to its robust-list node's {@code prev} and {@code next} fields, where
     * glibc's {@code pthread_mutex_t} keeps them: in the private page after the alive word's page.
     */
    public static final int ROBUST_PREV_OFFSET = 24;
    public static final int ROBUST_NEXT_OFFSET = 32;
    /** glibc's {@code futex_offset}: from a robust-list node back to its futex word (the alive word). */
    public static final long ROBUST_FUTEX_OFFSET = -ROBUST_NEXT_OFFSET;

    private AliveFileDescriptor() {
    }

    /** The file name of alive file {@code id}. */
    public static String fileName(int id) {
        return NAME_PREFIX + String.format(Locale.ROOT, "%08x", id);
    }

    /** Byte offset of the page holding word {@code index}. */
    public static long pageOffset(int index) {
        return (long) (index / 2) * LockSpaceLayout.PAGE;
    }

    /** Offset of word {@code index}'s ALIVE within its page. */
    public static int aliveInPage(int index) {
        return ALIVE_OFFSET + (index % 2) * ALIVE_STRIDE;
    }

    /** Byte offset of word {@code index}'s ALIVE in the file. */
    public static long aliveOffset(int index) {
        return pageOffset(index) + aliveInPage(index);
    }

    /** The length of a file of {@code words} words. */
    public static long fileLength(int words) {
        return pageOffset(words + 1);
    }
}
