package io.futexra;

import io.futexra.core.LockSpaceLayout;
import io.futexra.core.SlotDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A co-writer's view of a space file: where an object's slot lies, and single words read and
 * written through a file descriptor of its own, as another process writing the file would.
 */
final class SpaceBytes {

    private SpaceBytes() {
    }

    /** The offset of the slot of object {@code name} in {@code file}, a space of {@code capacity} slots. */
    static int slotBase(Path file, int capacity, String name) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.nativeOrder());
        for (int i = 0; i < capacity; i++) {
            int base = (int) LockSpaceLayout.slotOffset(capacity, i);
            if (b.getInt(base + SlotDescriptor.NAME_LENGTH_OFFSET) == utf8.length && Arrays.equals(Arrays.copyOfRange(
                    all, base + SlotDescriptor.NAME_OFFSET, base + SlotDescriptor.NAME_OFFSET + utf8.length), utf8)) {
                return base;
            }
        }
        throw new AssertionError(name + " not found in " + file);
    }

    static int getInt(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            ch.read(b, offset);
            return b.getInt(0);
        }
    }

    static void putInt(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), offset);
        }
    }
}
