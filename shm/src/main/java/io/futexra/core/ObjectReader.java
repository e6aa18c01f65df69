package io.futexra.core;

import static io.futexra.core.LockDescriptor.LOCK_WORD_OFFSET;
import static io.futexra.core.SlotDescriptor.ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.CONTENDED_ACQUISITIONS_OFFSET;
import static io.futexra.core.SlotDescriptor.FENCING_TOKEN_OFFSET;
import static io.futexra.core.SlotDescriptor.KIND_OFFSET;
import static io.futexra.core.SlotDescriptor.OWNER_DIED_COUNT_OFFSET;
import static io.futexra.core.SlotDescriptor.SLEEPERS_OFFSET;

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
        ListedFields f = ListedFields.of(kind); // which fields the kind has: its descriptor says
        int word = f.ownerWord() == ListedFields.NONE ? 0 : memory.getIntVolatile(base + f.ownerWord());
        int owner = word & RobustMutex.TID_MASK;
        boolean ownerLives = owner != 0 && participants.isAlive(owner);
        // the holder's pid and tid as its participant entry records them (numbers, checked positive)
        int tid = ownerLives ? participants.tidOf(owner) : 0;
        int pid = ownerLives ? participants.pidOf(owner) : 0;
        long namespace = ownerLives ? participants.pidNamespaceOf(owner) : 0;
        boolean visible = inThisPidNamespace(namespace); // else pid and tid name other processes' threads here
        long since = f.heldSince() == ListedFields.NONE ? 0 : memory.getLong(base + f.heldSince());
        // a number from the file that sizes the record scan below: clamped to the records there are
        int permits = f.permits() == ListedFields.NONE ? 0
                : Math.max(0, Math.min(memory.getInt(base + f.permits()), HoldRecordDescriptor.RECORD_COUNT));
        int shared = f.readers() == ListedFields.NONE ? permits : f.readers();
        EventMode mode = f.mode() == ListedFields.NONE ? null : EventMode.fromCode(memory.getInt(base + f.mode()));
        int eventWord = f.eventWord() == ListedFields.NONE ? 0 : memory.getIntVolatile(base + f.eventWord());
        return new ObjectInfo(
                name != null ? name : "<corrupt slot " + index + ">",
                kind,
                pid,
                tid,
                tid == 0 || pid == 0 || !visible ? null : threadName(pid, tid),
                tid == 0 || since == 0 ? null : Instant.ofEpochMilli(since),
                Math.max(0, memory.getIntVolatile(base + SLEEPERS_OFFSET)),
                f.watchers() == ListedFields.NONE ? 0 : Math.max(0, memory.getIntVolatile(base + f.watchers())),
                memory.getLong(base + ACQUISITIONS_OFFSET)
                        + (f.tokenCountsAcquisitions() ? memory.getLong(base + FENCING_TOKEN_OFFSET)
                                - memory.getLong(base + SlotDescriptor.TOKEN_ORIGIN_OFFSET) : 0),
                memory.getLong(base + CONTENDED_ACQUISITIONS_OFFSET),
                memory.getLong(base + OWNER_DIED_COUNT_OFFSET),
                memory.getLong(base + FENCING_TOKEN_OFFSET),
                owner == 0 ? (word & RobustMutex.OWNER_DIED) != 0 : !ownerLives,
                f.policy() == ListedFields.NONE ? null : LockPolicy.fromCode(memory.getInt(base + f.policy())),
                f.spinLimit() == ListedFields.NONE ? 0 : memory.getInt(base + f.spinLimit()),
                shared == 0 ? 0 : new HoldRecords(memory, null, participants, base, shared).heldCount(),
                permits,
                mode == EventMode.MANUAL_RESET ? (eventWord & ShmNamedEvent.SIGNALED) != 0 : mode != null && eventWord != 0,
                mode,
                namespace);
    }

    /** Whether pids of PID namespace {@code namespace} are this process's (an unknown one, 0, counts as ours). */
    static boolean inThisPidNamespace(long namespace) {
        return namespace == 0 || SpaceFile.OWN_PID_NAMESPACE == 0 || namespace == SpaceFile.OWN_PID_NAMESPACE;
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
        long namespace = participants.pidNamespaceOf(owner);
        if (!inThisPidNamespace(namespace)) {
            return " (held by pid " + pid + ", tid " + tid + " of PID namespace pid:[" + namespace + "], not this"
                    + " process's: another container)";
        }
        String thread = pid == 0 ? null : threadName(pid, tid);
        return " (held by pid " + pid + ", tid " + tid + (thread != null ? " '" + thread + "'" : "") + ")";
    }
}
