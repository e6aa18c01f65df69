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
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    public int getAndSetInt(int offset, int value) {
        return (int) INTS.getAndSet(buffer, offset, value);
    }

    public int getAndAddInt(int offset, int delta) {
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

    public long getAndAddLong(int offset, long delta) {
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    public long getAndBitwiseOrLong(int offset, long bits) {
        return (long) LONGS.getAndBitwiseOr(buffer, offset, bits);
    }

    public long getAndBitwiseAndLong(int offset, long bits) {
        return (long) LONGS.getAndBitwiseAnd(buffer, offset, bits);
    }
}
