package io.futexra.linux;

import java.util.Locale;

/**
 * Linux system call numbers, and the {@code open(2)} flags that differ, for the architectures
 * futex-ra runs on, in one place.
 *
 * <p>Only x86_64 and aarch64 are supported: they are the architectures whose numbers were
 * checked against the kernel's tables ({@code arch/x86/entry/syscalls/syscall_64.tbl},
 * {@code include/uapi/asm-generic/unistd.h}). {@code futex_waitv} (Linux 5.16) is 449 on both.
 * {@code O_DIRECTORY} and {@code O_NOFOLLOW} differ ({@code include/uapi/asm-generic/fcntl.h}
 * against {@code arch/arm64/include/uapi/asm/fcntl.h}); every other flag futex-ra uses is the same.
 */
record SyscallNumbers(long getpid, long gettid, long futex, long setRobustList,
                      long getRobustList, long futexWaitv, long geteuid, long openat, long fchmod,
                      long fallocate, long pwrite64, long linkat, long unlinkat, long statx,
                      int oDirectory, int oNoFollow, long mmap, long munmap, long fcntl, long pread64) {

    static final SyscallNumbers X86_64 = new SyscallNumbers(39, 186, 202, 273, 274, 449, 107, 257, 91, 285, 18,
            265, 263, 332, 0200000, 0400000, 9, 11, 72, 17);
    static final SyscallNumbers AARCH64 = new SyscallNumbers(172, 178, 98, 99, 100, 449, 175, 56, 52, 47, 68,
            37, 35, 291, 040000, 0100000, 222, 215, 25, 67);

    /** The numbers for the running JVM's architecture, or an exception naming it. */
    static SyscallNumbers forCurrentArchitecture() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            default:
                throw new UnsupportedOperationException("futex-ra supports Linux on x86_64 and aarch64;"
                        + " this JVM runs on '" + arch + "'");
        }
    }
}
