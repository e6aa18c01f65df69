package io.futexra.core;

import static io.futexra.core.AliveFileDescriptor.ROBUST_FUTEX_OFFSET;
import static io.futexra.core.AliveFileDescriptor.ROBUST_NEXT_OFFSET;
import static io.futexra.core.AliveFileDescriptor.ROBUST_PREV_OFFSET;

import io.futexra.FutexRaException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The calling thread's kernel robust futex list, kept with glibc's exact discipline so that our
 * nodes and glibc's robust pthread mutexes can share it. Our only nodes are the thread's alive
 * words, one per space it uses ({@link Participants}); each node lies in the private page of the
 * participant's own mapping of its process's alive file, so no pointer on the list is in a file.
 *
 * <p>When a thread exits for any reason (kill -9 included), the kernel walks the list registered
 * with {@code set_robust_list(2)}: for each node it finds the futex word at
 * {@code node + futex_offset}; if the word's TID bits name the dying thread it sets
 * {@code FUTEX_OWNER_DIED}, clears the TID and, if {@code FUTEX_WAITERS} was set, wakes one
 * waiter. It also examines {@code list_op_pending}, the node being locked or unlocked at the time
 * of death. (Kernel {@code Documentation/locking/robust-futex-ABI.rst}.)
 *
 * <p>Implementation overview. glibc registers a head for every thread it creates, inside
 * {@code struct pthread}; we find it with {@code get_robust_list(0)} and check that its
 * {@code futex_offset} is -32, the distance from an alive word's
 * {@link AliveFileDescriptor#ROBUST_NEXT_OFFSET node} to the word. Where no such head exists (musl, or a changed glibc) we register one of
 * our own: that works, but replaces glibc's, so glibc robust mutexes on that thread lose recovery.
 *
 * <pre>
 *   head-8        head          head+8          head+16
 *   +-------------+-------------+---------------+-----------------+
 *   | robust_prev | list (next) | futex_offset  | list_op_pending |   glibc's robust_head
 *   +-------------+-------------+---------------+-----------------+
 *          ^            |
 *          |            v  node = alive word + 32, node-8 = its prev (both in a private page)
 *          +------- [prev|next] --> [prev|next] --> ... --> back to head
 * </pre>
 *
 * Enqueue (glibc {@code ENQUEUE_MUTEX_BOTH}) pushes at the front: {@code next.prev = node;
 * node.next = head.list; node.prev = head; head.list = node} — the last store publishes, with
 * release order. Dequeue (glibc {@code DEQUEUE_MUTEX}) unlinks: {@code next.prev = node.prev;
 * prev.next = node.next} (glibc also zeroes the node's own pointers; nothing reads them).
 * {@code list_op_pending} names the node for the whole of a registration (from the alive word's
 * claiming CAS to the link) and of a retirement, so a death in between is still recovered.
 *
 * <p>Only the owning thread ever touches its list: this object is thread-confined (the keeper's
 * registrations run on the keeper thread). A neighbour is
 * written through the buffer that maps it when it is the head or one of our own linked nodes
 * (the usual case, no native call); a foreign node (a glibc robust mutex) is written through
 * {@link Kernel#putLong}.
 */
final class RobustList {

    /**
     * The kernel walks at most {@code ROBUST_LIST_LIMIT} = 2048 entries of a dying thread's list
     * ({@code kernel/futex/core.c}). Our entries are one per space the thread uses at once (holds
     * do not count), kept below that with room for the thread's glibc robust mutexes.
     */
    static final int MAX_LINKED = 2000;
    private static final int HEAD_PREV = 0;
    private static final int HEAD_LIST = 8;
    private static final int HEAD_FUTEX_OFFSET = 16;
    private static final int HEAD_PENDING = 24;
    private static final int HEAD_VIEW_LENGTH = 32;
    /** Low bit of a node pointer marks a PI futex; ours never are, glibc's may be. */
    private static final long PI_BIT = 1L;

    private final Kernel kernel;
    private final long headAddress;
    private final SharedMemory head;
    /** Keeps a head of our own allocated as long as the thread lives. */
    private final ByteBuffer ownHead;

    // Our nodes now linked, so neighbours can be written without a native call.
    private long[] linkedNodes = new long[4];
    private SharedMemory[] linkedMemory = new SharedMemory[4];
    private int[] linkedBases = new int[4];
    private int linkedCount;

    RobustList(Kernel kernel) {
        this.kernel = kernel;
        long glibcHead = kernel.robustListHead(ROBUST_FUTEX_OFFSET);
        if (glibcHead != 0) {
            this.ownHead = null;
            this.headAddress = glibcHead;
            this.head = new SharedMemory(kernel.view(glibcHead - 8, HEAD_VIEW_LENGTH), glibcHead - 8);
        } else {
            ByteBuffer own = ByteBuffer.allocateDirect(HEAD_VIEW_LENGTH + 8).alignedSlice(8);
            long base = kernel.addressOf(own);
            this.ownHead = own;
            this.headAddress = base + 8;
            this.head = new SharedMemory(own, base);
            head.putLong(HEAD_LIST, headAddress); // empty: points to itself
            head.putLong(HEAD_FUTEX_OFFSET, ROBUST_FUTEX_OFFSET);
            int rc = kernel.setRobustListHead(headAddress);
            if (rc != 0) {
                throw new IllegalStateException("set_robust_list failed with errno " + -rc
                        + ": this kernel cannot report lock owners' deaths");
            }
        }
    }


    /** The head this list allocated and registered, or {@code null} when it uses glibc's. */
    ByteBuffer ownHead() {
        return ownHead;
    }

    /**
     * Refuses a registration that would link {@code entries} more nodes past {@link #MAX_LINKED}:
     * the kernel could not report this thread's death through them. Called before anything is taken.
     */
    void checkRoom(int entries) {
        if (linkedCount + entries > MAX_LINKED) {
            throw new FutexRaException("thread " + Thread.currentThread().getName() + " already takes part in "
                    + linkedCount + " futex-ra spaces at once; the kernel walks at most 2048 robust entries of a"
                    + " thread that dies, so futex-ra refuses more than " + MAX_LINKED + " per thread. Close spaces"
                    + " this thread no longer uses (it leaves a closed space once it holds nothing there).");
        }
    }

    /** Names the node about to be linked or unlinked; the kernel examines it if we die now. */
    void setPending(long node) {
        head.putLongRelease(HEAD_PENDING, node);
    }

    void clearPending() {
        head.putLongRelease(HEAD_PENDING, 0L);
    }

    /** Links the node of the slot at {@code base} of {@code memory}: we now own its word. */
    void enqueue(SharedMemory memory, int base) {
        long node = memory.addressOf(base + ROBUST_NEXT_OFFSET);
        long next = head.getLong(HEAD_LIST);
        if (next == headAddress) {
            head.putLong(HEAD_PREV, node);                              // empty list: head.prev = node
        } else {
            putNodeField((next & ~PI_BIT) - 8, node);                   // next.prev = node
        }
        memory.putLong(base + ROBUST_NEXT_OFFSET, next);                // node.next = next
        memory.putLong(base + ROBUST_PREV_OFFSET, headAddress);         // node.prev = head
        remember(node, memory, base);
        head.putLongRelease(HEAD_LIST, node);                           // publish: head.list = node
    }

    /** Unlinks the node of the slot at {@code base}; call with it named pending. */
    void dequeue(SharedMemory memory, int base) {
        long next = memory.getLong(base + ROBUST_NEXT_OFFSET);
        long prev = memory.getLong(base + ROBUST_PREV_OFFSET);
        if (next == headAddress) {
            head.putLong(HEAD_PREV, prev);                              // last node: head.prev = prev
        } else {
            putNodeField((next & ~PI_BIT) - 8, prev);                   // next.prev = prev
        }
        if (prev == headAddress) {
            head.putLong(HEAD_LIST, next);                              // first node: head.list = next
        } else {
            putNodeField(prev & ~PI_BIT, next);                         // prev.next = next
        }
        // unlike glibc we leave the node's own pointers: nothing reaches it any more, and the
        // next owner overwrites them when it links the node
        forget(memory.addressOf(base + ROBUST_NEXT_OFFSET));
    }

    /** Writes the {@code prev} (node-8) or {@code next} (node) field of a list node, wherever it is. */
    private void putNodeField(long address, long value) {
        long headView = headAddress - 8;
        if (address >= headView && address < headView + HEAD_VIEW_LENGTH) {
            head.putLong((int) (address - headView), value);
            return;
        }
        for (int i = linkedCount - 1; i >= 0; i--) {
            long prevField = linkedNodes[i] - 8;
            if (address == prevField || address == linkedNodes[i]) {
                linkedMemory[i].putLong(linkedBases[i] + ROBUST_PREV_OFFSET + (int) (address - prevField), value);
                return;
            }
        }
        kernel.putLong(address, value); // a foreign node: a glibc robust mutex held by this thread
    }

    private void remember(long node, SharedMemory memory, int base) {
        if (linkedCount == linkedNodes.length) {
            int n = linkedCount * 2;
            linkedNodes = Arrays.copyOf(linkedNodes, n);
            linkedMemory = Arrays.copyOf(linkedMemory, n);
            linkedBases = Arrays.copyOf(linkedBases, n);
        }
        linkedNodes[linkedCount] = node;
        linkedMemory[linkedCount] = memory;
        linkedBases[linkedCount] = base;
        linkedCount++;
    }

    private void forget(long node) {
        int top = linkedCount - 1;
        if (top >= 0 && linkedNodes[top] == node) { // the usual, last-locked-first-unlocked order
            linkedMemory[top] = null;
            linkedCount = top;
            return;
        }
        for (int i = linkedCount - 1; i >= 0; i--) {
            if (linkedNodes[i] == node) {
                int tail = linkedCount - i - 1;
                System.arraycopy(linkedNodes, i + 1, linkedNodes, i, tail);
                System.arraycopy(linkedMemory, i + 1, linkedMemory, i, tail);
                System.arraycopy(linkedBases, i + 1, linkedBases, i, tail);
                linkedCount--;
                linkedMemory[linkedCount] = null;
                return;
            }
        }
    }

}
