package io.futexra.jca;

import java.util.ArrayList;
import java.util.List;

/**
 * The acquisitions made through one connection and not yet released, for its close to release
 * what the application left held: a doubly linked list through the holds' own
 * {@link TrackedHold#previous}/{@link TrackedHold#next} fields, so adding and removing allocate
 * nothing and cost one uncontended monitor each. Guarded by this object's monitor.
 */
final class TrackedHolds {

    private TrackedHold first;
    private int size;

    synchronized void add(TrackedHold hold) {
        hold.next = first;
        if (first != null) {
            first.previous = hold;
        }
        first = hold;
        size++;
    }

    /** Removes {@code hold} if it is here (it may be removed twice: on release and by a clear). */
    synchronized void remove(TrackedHold hold) {
        if (hold.previous == null && first != hold) {
            return; // not here
        }
        if (hold.previous != null) {
            hold.previous.next = hold.next;
        } else {
            first = hold.next;
        }
        if (hold.next != null) {
            hold.next.previous = hold.previous;
        }
        hold.previous = null;
        hold.next = null;
        size--;
    }

    /** Empties the list, returning what it held. */
    synchronized List<TrackedHold> clear() {
        List<TrackedHold> all = new ArrayList<>(size);
        for (TrackedHold t = first; t != null; ) {
            TrackedHold next = t.next;
            all.add(t);
            t.previous = null;
            t.next = null;
            t = next;
        }
        first = null;
        size = 0;
        return all;
    }

    synchronized int size() {
        return size;
    }
}
