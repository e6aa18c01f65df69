package io.futexra.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Atomic access to aligned {@code int} and {@code long} words of a direct buffer (a shared
 * mapping, or a view of native memory), named by memory order as in Agrona's
 * {@code AtomicBuffer}.
 *
 * <p>Byte-buffer view {@link VarHandle}s in {@link ByteOrder#nativeOrder()}: a big-endian view
 * would store futex words byte-swapped and the kernel would compare the wrong values, silently.
 * The handles ignore the buffer's own {@code order()}. Alignment is checked by the JVM against
 * the absolute address, so every word must sit at a multiple of its size from a page-aligned base.
 *
 * <p>Truncation. A page of a shared mapping that lies past the end of its file (a process with
 * write permission truncated the file) raises SIGBUS on access. HotSpot turns that into an
 * {@link InternalError} for a plain read or write in every execution mode, but an atomic
 * (compare-and-set, get-and-set, get-and-add) that runs interpreted or in C1 code kills the JVM.
 * So every atomic here first reads its word plainly: on a truncated page that read raises the
 * {@code InternalError}, which the space handle's boundary turns into a
 * {@link io.futexra.FutexRaException} ({@code ShmLockSpace#truncatedUnderUs}), before the atomic runs.
 * In C2 code, where the atomic is guarded by HotSpot itself, the unused read is removed. Only a
 * truncation that lands between the read and the atomic, in code not compiled by C2, still kills
 * the process.
 */
public final class SharedMemory {

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final long address;

    public SharedMemory(ByteBuffer buffer, long address) {
        this.buffer = buffer;
        this.address = address;
    }

    /** Native address of byte {@code offset}. */
    public long addressOf(int offset) {
        return address + offset;
    }

    public int capacity() {
        return buffer.capacity();
    }

    /** The buffer itself, for plain byte copies (names). */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int getInt(int offset) {
        return (int) INTS.get(buffer, offset);
    }

    public int getIntAcquire(int offset) {
        return (int) INTS.getAcquire(buffer, offset);
    }

    public int getIntVolatile(int offset) {
        return (int) INTS.getVolatile(buffer, offset);
    }

    public void putInt(int offset, int value) {
        INTS.set(buffer, offset, value);
    }

    public void putIntRelease(int offset, int value) {
        INTS.setRelease(buffer, offset, value);
    }

    public boolean compareAndSetInt(int offset, int expected, int value) {
        INTS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    public int getAndSetInt(int offset, int value) {
        INTS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return (int) INTS.getAndSet(buffer, offset, value);
    }

    public int getAndAddInt(int offset, int delta) {
        INTS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return (int) INTS.getAndAdd(buffer, offset, delta);
    }

    public long getLong(int offset) {
        return (long) LONGS.get(buffer, offset);
    }

    public long getLongAcquire(int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    public long getLongVolatile(int offset) {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    public void putLong(int offset, long value) {
        LONGS.set(buffer, offset, value);
    }

    public void putLongRelease(int offset, long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    public boolean compareAndSetLong(int offset, long expected, long value) {
        LONGS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return LONGS.compareAndSet(buffer, offset, expected, value);
    }

    public long getAndAddLong(int offset, long delta) {
        LONGS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    public long getAndBitwiseOrLong(int offset, long bits) {
        LONGS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return (long) LONGS.getAndBitwiseOr(buffer, offset, bits);
    }

    public long getAndBitwiseAndLong(int offset, long bits) {
        LONGS.get(buffer, offset); // faults catchably on a truncated page, see the class comment
        return (long) LONGS.getAndBitwiseAnd(buffer, offset, bits);
    }
}
