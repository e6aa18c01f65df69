package io.futexra.core;

import static io.futexra.core.HeaderDescriptor.OBJECT_COUNT_OFFSET;
import static io.futexra.core.HeaderDescriptor.REGISTRY_OFFSET;
import static io.futexra.core.LockSpaceLayout.ENTRY_NAME_HASH_OFFSET;
import static io.futexra.core.LockSpaceLayout.ENTRY_STATE_OFFSET;
import static io.futexra.core.LockSpaceLayout.STATE_FREE;
import static io.futexra.core.LockSpaceLayout.STATE_READY;
import static io.futexra.core.SlotDescriptor.KIND_OFFSET;
import static io.futexra.core.SlotDescriptor.NAME_LENGTH_OFFSET;
import static io.futexra.core.SlotDescriptor.NAME_MAX_LENGTH;
import static io.futexra.core.SlotDescriptor.NAME_OFFSET;

import io.futexra.FutexRaException;
import io.futexra.ObjectKind;
import io.futexra.SpaceFullException;
import io.futexra.SpaceOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a named object's slot, creating it on first use.
 *
 * <p>Open addressing with linear probing from the FNV-1a hash of the name, over the directory
 * (8 bytes per slot: state and name hash), so a probe touches a slot's page only on a hash match.
 * Slots are never freed, so a probe that reaches a {@code FREE} entry proves the name absent.
 * Lookup takes no lock: a slot is published by a release store of its entry's
 * {@code STATE = READY} after its name, kind and parameters are written, and read with an acquire
 * load. Creation is rare and serialized by the space's robust registry
 * mutex; a creator that dies before publishing leaves the slot {@code FREE}, to be overwritten.
 */
final class SlotTable {

    /** How long a creator waits for the registry mutex before saying why it cannot. */
    static final long REGISTRY_PATIENCE_NANOS = 5_000_000_000L;

    private final SharedMemory memory;
    private final int slotCount;
    private final String spaceName;
    private final RobustMutex registry;
    private final Participants participants;

    SlotTable(SharedMemory memory, int slotCount, String spaceName, Kernel kernel, Participants participants) {
        this.memory = memory;
        this.slotCount = slotCount;
        this.spaceName = spaceName;
        this.registry = new RobustMutex(memory, kernel, participants, REGISTRY_OFFSET);
        this.participants = participants;
    }

    int slotCount() {
        return slotCount;
    }

    /** Writes a new object's kind-specific parameters into its slot before it is published. */
    interface Initializer {
        void initialize(SharedMemory memory, int base);
    }

    /** The base offset of {@code name}'s slot, created as {@code kind} if absent. */
    int findOrCreate(String name, ObjectKind kind, ThreadContext me, Initializer initializer) {
        byte[] utf8 = Names.checkObjectName(name);
        int hash = Names.hash(utf8);
        int found = find(utf8, hash);
        if (found < 0) {
            found = create(utf8, hash, kind, me, initializer);
        }
        int code = memory.getInt(found + KIND_OFFSET);
        ObjectKind existing = ObjectKind.fromCode(code);
        if (existing == null) {
            throw ShmLockSpace.corrupted(spaceName, "object '" + name + "'", "its kind field holds " + code
                    + ", no known kind");
        }
        if (existing != kind) {
            throw new IllegalArgumentException("'" + name + "' in space '" + spaceName + "' is a " + existing
                    + ", not a " + kind + ": one name, one kind; choose another name");
        }
        return found;
    }

    /** The slot's base offset, or -1 if the name is absent. */
    private int find(byte[] utf8, int hash) {
        for (int i = 0; i < slotCount; i++) {
            int index = Math.floorMod(hash + i, slotCount);
            int entry = LockSpaceLayout.entryOffset(index);
            int state = memory.getIntAcquire(entry + ENTRY_STATE_OFFSET);
            if (state == STATE_FREE) {
                return -1;
            }
            if (state == STATE_READY && memory.getInt(entry + ENTRY_NAME_HASH_OFFSET) == hash
                    && nameEquals(slotBase(index), utf8)) {
                return slotBase(index);
            }
        }
        return -1;
    }

    private int create(byte[] utf8, int hash, ObjectKind kind, ThreadContext me, Initializer initializer) {
        // bounded: a registry word left with a TID by corruption (or a creator stopped with SIGSTOP)
        // must not wedge every creator for ever; a creator holds it for microseconds
        int locked = registry.lock(me, System.nanoTime() + REGISTRY_PATIENCE_NANOS, 100);
        if (locked == RobustMutex.TIMED_OUT) {
            int id = registry.ownerId();
            throw new FutexRaException("cannot create '" + new String(utf8, StandardCharsets.UTF_8) + "' in space '"
                    + spaceName + "': its object registry has been held by participant " + id + " (pid "
                    + participants.pidOf(id) + ", tid " + participants.tidOf(id) + ") for over "
                    + REGISTRY_PATIENCE_NANOS / 1_000_000_000L + " s (a creator stopped or hung, or the space file"
                    + " is corrupted: check it with SpaceChecker / futex-ra check). Existing objects still work.");
        }
        if (locked < 0) {
            throw WaitFailures.interrupted("the object registry, to create '" + new String(utf8, StandardCharsets.UTF_8)
                    + "' in space '" + spaceName + "'");
        }
        try {
            for (int i = 0; i < slotCount; i++) {
                int index = Math.floorMod(hash + i, slotCount);
                int entry = LockSpaceLayout.entryOffset(index);
                int base = slotBase(index);
                int state = memory.getIntAcquire(entry + ENTRY_STATE_OFFSET);
                if (state == STATE_FREE) {
                    // a creator that died here left a FREE entry: whatever it wrote is overwritten
                    memory.putInt(base + NAME_LENGTH_OFFSET, utf8.length);
                    memory.buffer().put(base + NAME_OFFSET, utf8, 0, utf8.length);
                    memory.putInt(base + KIND_OFFSET, kind.code());
                    if (kind != ObjectKind.EVENT) {
                        long origin = tokenOrigin();
                        memory.putLong(base + SlotDescriptor.TOKEN_ORIGIN_OFFSET, origin);
                        memory.putLong(base + SlotDescriptor.FENCING_TOKEN_OFFSET, origin); // a dead creator's leftovers too
                    }
                    initializer.initialize(memory, base);
                    memory.putInt(entry + ENTRY_NAME_HASH_OFFSET, hash);
                    memory.putIntRelease(entry + ENTRY_STATE_OFFSET, STATE_READY); // publish
                    memory.getAndAddInt(OBJECT_COUNT_OFFSET, 1);
                    return base;
                }
                if (state == STATE_READY && memory.getInt(entry + ENTRY_NAME_HASH_OFFSET) == hash
                        && nameEquals(base, utf8)) {
                    return base; // another process created it first
                }
            }
            throw new SpaceFullException("space '" + spaceName + "' is full: all " + slotCount + " slots hold objects."
                    + " Objects live as long as the space; create a larger space under a new name with"
                    + " SpaceOptions.withCapacity(n) (up to " + SpaceOptions.MAX_CAPACITY + "), or remove"
                    + " the space file when no process uses it.");
        } finally {
            registry.unlock(me);
        }
    }

    /** The slot of directory entry {@code index}. */
    int slotBase(int index) {
        return (int) LockSpaceLayout.slotOffset(slotCount, index);
    }

    /** Whether directory entry {@code index} holds a published object. */
    boolean isReady(int index) {
        return memory.getIntAcquire(LockSpaceLayout.entryOffset(index) + ENTRY_STATE_OFFSET) == STATE_READY;
    }

    private boolean nameEquals(int base, byte[] utf8) {
        if (memory.getInt(base + NAME_LENGTH_OFFSET) != utf8.length) {
            return false;
        }
        byte[] stored = new byte[utf8.length];
        memory.buffer().get(base + NAME_OFFSET, stored, 0, stored.length);
        return Arrays.equals(stored, utf8);
    }

    /** The name stored in a slot, or {@code null} if the slot's length field is out of range. */
    String nameAt(int base) {
        int length = memory.getInt(base + NAME_LENGTH_OFFSET);
        if (length < 1 || length > NAME_MAX_LENGTH) {
            return null;
        }
        byte[] stored = new byte[length];
        memory.buffer().get(base + NAME_OFFSET, stored, 0, length);
        return new String(stored, StandardCharsets.UTF_8);
    }

    /** The wall clock in nanoseconds since the epoch: where a new object's fencing tokens start ({@link SlotDescriptor#TOKEN_ORIGIN_OFFSET}). */
    static long tokenOrigin() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
