package io.futexra.core;

import static io.futexra.core.LockSpaceLayout.ACQUISITIONS_OFFSET;
import static io.futexra.core.LockSpaceLayout.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.LockSpaceLayout.EVENT_WORD_OFFSET;
import static io.futexra.core.LockSpaceLayout.FENCING_TOKEN_OFFSET;
import static io.futexra.core.LockSpaceLayout.HELD_SINCE_MILLIS_OFFSET;
import static io.futexra.core.LockSpaceLayout.KIND_OFFSET;
import static io.futexra.core.LockSpaceLayout.LOCK_WORD_OFFSET;
import static io.futexra.core.LockSpaceLayout.OWNER_DIED_COUNT_OFFSET;
import static io.futexra.core.LockSpaceLayout.PARAMETER_OFFSET;
import static io.futexra.core.LockSpaceLayout.POLICY_OFFSET;
import static io.futexra.core.LockSpaceLayout.SLEEPERS_OFFSET;
import static io.futexra.core.LockSpaceLayout.WATCHERS_OFFSET;
import static io.futexra.core.LockSpaceLayout.SPIN_LIMIT_OFFSET;

import io.futexra.EventMode;
import io.futexra.LockPolicy;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every published slot of a space into {@link ObjectInfo}s without taking any lock. Values
 * read from the file are checked before use: a slot whose kind or name is out of range is reported
 * with a placeholder name rather than trusted.
 */
final class ObjectReader {

    private final SharedMemory memory;
    private final SlotTable slots;
    private final Participants participants;

    ObjectReader(SharedMemory memory, SlotTable slots, Participants participants) {
        this.memory = memory;
        this.slots = slots;
        this.participants = participants;
    }

    List<ObjectInfo> readAll() {
        List<ObjectInfo> out = new ArrayList<>();
        for (int i = 0; i < slots.slotCount(); i++) {
            if (slots.isReady(i)) {
                out.add(read(slots.slotBase(i), i));
            }
        }
        return out;
    }

    private ObjectInfo read(int base, int index) {
        String name = slots.nameAt(base);
        ObjectKind kind = ObjectKind.fromCode(memory.getInt(base + KIND_OFFSET));
        int word = kind == ObjectKind.EVENT || kind == ObjectKind.SEMAPHORE ? 0 : memory.getIntVolatile(base + LOCK_WORD_OFFSET);
        int owner = word & RobustMutex.TID_MASK;
        boolean ownerLives = owner != 0 && participants.isAlive(owner);
        // the holder's pid and tid as its participant entry records them (numbers, checked positive)
        int tid = ownerLives ? participants.tidOf(owner) : 0;
        int pid = ownerLives ? participants.pidOf(owner) : 0;
        long since = memory.getLong(base + HELD_SINCE_MILLIS_OFFSET);
        int parameter = memory.getInt(base + PARAMETER_OFFSET);
        int permits = kind == ObjectKind.SEMAPHORE ? Math.max(0, Math.min(parameter, LockSpaceLayout.RECORD_COUNT)) : 0;
        int shared = kind == ObjectKind.READ_WRITE_LOCK ? LockSpaceLayout.RECORD_COUNT : permits;
        EventMode mode = kind == ObjectKind.EVENT ? EventMode.fromCode(parameter) : null;
        int eventWord = memory.getIntVolatile(base + EVENT_WORD_OFFSET);
        return new ObjectInfo(
                name != null ? name : "<corrupt slot " + index + ">",
                kind,
                pid,
                tid,
                tid == 0 || pid == 0 ? null : threadName(pid, tid),
                tid == 0 || since == 0 ? null : Instant.ofEpochMilli(since),
                Math.max(0, memory.getIntVolatile(base + SLEEPERS_OFFSET)),
                kind == ObjectKind.LOCK ? Math.max(0, memory.getIntVolatile(base + WATCHERS_OFFSET)) : 0,
                acquisitions(kind, base),
                memory.getLong(base + CONTENDED_ACQUISITIONS_OFFSET),
                memory.getLong(base + OWNER_DIED_COUNT_OFFSET),
                memory.getLong(base + FENCING_TOKEN_OFFSET),
                owner == 0 ? (word & RobustMutex.OWNER_DIED) != 0 : !ownerLives,
                kind == ObjectKind.LOCK ? LockPolicy.fromCode(memory.getInt(base + POLICY_OFFSET)) : null,
                kind == ObjectKind.EVENT ? 0 : memory.getInt(base + SPIN_LIMIT_OFFSET),
                shared == 0 ? 0 : new HoldRecords(memory, null, participants, base, shared).heldCount(),
                permits,
                mode == EventMode.MANUAL_RESET ? (eventWord & ShmNamedEvent.SIGNALED) != 0 : mode != null && eventWord != 0,
                mode);
    }

    /** Locks count acquisitions in their fencing token; read/write locks add reads to it. */
    private long acquisitions(ObjectKind kind, int base) {
        long counted = memory.getLong(base + ACQUISITIONS_OFFSET);
        if (kind == ObjectKind.LOCK || kind == ObjectKind.READ_WRITE_LOCK) {
            return counted + memory.getLong(base + FENCING_TOKEN_OFFSET);
        }
        return counted;
    }

    /** The kernel's name for a thread ({@code /proc/PID/task/TID/comm}), or null if not visible. */
    static String threadName(int pid, int tid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "comm"),
                    StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException gone) {
            return null;
        }
    }

    static String describeHolder(SharedMemory memory, Participants participants, int base) {
        int owner = memory.getIntVolatile(base + LOCK_WORD_OFFSET) & RobustMutex.TID_MASK;
        int tid = participants.tidOf(owner);
        if (tid == 0) {
            return "";
        }
        int pid = participants.pidOf(owner);
        String thread = pid == 0 ? null : threadName(pid, tid);
        return " (held by pid " + pid + ", tid " + tid + (thread != null ? " '" + thread + "'" : "") + ")";
    }
}
