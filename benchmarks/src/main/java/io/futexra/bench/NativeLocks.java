package io.futexra.bench;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The native alternatives, through JNA direct mapping (the cheapest JNA call): a robust,
 * process-shared glibc pthread mutex in shared memory, and a SysV semaphore with {@code SEM_UNDO}
 * (the kernel's own robust semaphore).
 */
final class NativeLocks {

    static {
        Native.register(NativeLocks.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private static final int PTHREAD_PROCESS_SHARED = 1;
    private static final int PTHREAD_MUTEX_ROBUST = 1;
    static final int EOWNERDEAD = 130;
    private static final int IPC_PRIVATE = 0;
    private static final int IPC_CREAT = 01000;
    private static final int IPC_RMID = 0;
    private static final int SETVAL = 16;
    private static final short SEM_UNDO = 0x1000;

    private NativeLocks() {
    }

    static native int pthread_mutexattr_init(long attr);

    static native int pthread_mutexattr_setpshared(long attr, int shared);

    static native int pthread_mutexattr_setrobust(long attr, int robust);

    static native int pthread_mutex_init(long mutex, long attr);

    static native int pthread_mutex_lock(long mutex);

    static native int pthread_mutex_unlock(long mutex);

    static native int pthread_mutex_consistent(long mutex);

    static native int semget(int key, int count, int flags);

    static native int semctl(int id, int num, int cmd, long arg);

    static native int semop(int id, long ops, long count);

    /** Initializes a robust, process-shared mutex at {@code address} (40 bytes, in shared memory). */
    static void initRobustSharedMutex(long address) {
        try (Memory attr = new Memory(16)) {
            check(pthread_mutexattr_init(Pointer.nativeValue(attr)), "pthread_mutexattr_init");
            check(pthread_mutexattr_setpshared(Pointer.nativeValue(attr), PTHREAD_PROCESS_SHARED), "setpshared");
            check(pthread_mutexattr_setrobust(Pointer.nativeValue(attr), PTHREAD_MUTEX_ROBUST), "setrobust");
            check(pthread_mutex_init(address, Pointer.nativeValue(attr)), "pthread_mutex_init");
        }
    }

    static void lockRobust(long mutex) {
        int rc = pthread_mutex_lock(mutex);
        if (rc == EOWNERDEAD) {
            pthread_mutex_consistent(mutex);
        } else if (rc != 0) {
            throw new IllegalStateException("pthread_mutex_lock: " + rc);
        }
    }

    /** A SysV semaphore with value 1, removed by {@link #removeSemaphore}. */
    static int newSemaphore() {
        int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
        if (id < 0) {
            throw new IllegalStateException("semget failed: errno " + Native.getLastError());
        }
        check(semctl(id, 0, SETVAL, 1), "semctl SETVAL");
        return id;
    }

    static void removeSemaphore(int id) {
        semctl(id, 0, IPC_RMID, 0);
    }

    /** A {@code struct sembuf[1]} {num 0, op, SEM_UNDO}. */
    static Memory semOp(short op) {
        Memory ops = new Memory(6);
        ops.setShort(0, (short) 0);
        ops.setShort(2, op);
        ops.setShort(4, SEM_UNDO);
        return ops;
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + rc + " errno " + Native.getLastError());
        }
    }
}
