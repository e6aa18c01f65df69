package io.futexra.jca;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The threads waiting inside the adapter now, for {@link AdapterRuntime#stop()} to interrupt.
 * Every acquisition passes through here, so entering and leaving cost one CAS and one ordered
 * write in the usual case: a thread takes the slot its identity hash picks (one cache line per
 * slot, so threads in different slots do not contend), and only when another thread has it goes
 * to a set.
 *
 * <p>A waiter enters (a full fence) before it reads the adapter's {@code stopped} flag, and stop
 * sets the flag before it reads the slots and the set: either the waiter sees the adapter stopped,
 * or stop sees the waiter.
 */
final class Waiters {

    private static final int SLOTS = 64;
    /** References per 64-byte cache line, at 4 bytes each (compressed) or 8: 16 keeps slots a line apart. */
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<Thread> slots = new AtomicReferenceArray<>(SLOTS * STRIDE);
    private final Set<Thread> overflow = ConcurrentHashMap.newKeySet();

    /** Registers {@code me} as waiting; returns what {@link #leave} needs. */
    int enter(Thread me) {
        int slot = (me.hashCode() & (SLOTS - 1)) * STRIDE;
        if (slots.compareAndSet(slot, null, me)) {
            return slot;
        }
        overflow.add(me);
        return -1;
    }

    /** {@code me} waits no more; {@code entered} is what {@link #enter} returned. */
    void leave(Thread me, int entered) {
        if (entered >= 0) {
            slots.lazySet(entered, null); // no fence needed: a stale entry only makes stop interrupt a thread that was done
        } else {
            overflow.remove(me);
        }
    }

    /** The threads waiting now. */
    List<Thread> now() {
        List<Thread> all = new ArrayList<>(overflow);
        for (int i = 0; i < SLOTS * STRIDE; i += STRIDE) {
            Thread t = slots.get(i);
            if (t != null) {
                all.add(t);
            }
        }
        return all;
    }
}
