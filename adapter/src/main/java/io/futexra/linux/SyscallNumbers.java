package io.futexra.linux;

import java.util.Locale;

/**
 * Linux system call numbers for the architectures futex-ra runs on, in one place.
 *
 * <p>Only x86_64 and aarch64 are supported: they are the architectures whose numbers were
 * checked against the kernel's tables ({@code arch/x86/entry/syscalls/syscall_64.tbl},
 * {@code include/uapi/asm-generic/unistd.h}). {@code futex_waitv} (Linux 5.16) is 449 on both.
 */
record SyscallNumbers(long getpid, long gettid, long futex, long setRobustList,
                      long getRobustList, long futexWaitv, long mmap, long munmap) {

    static final SyscallNumbers X86_64 = new SyscallNumbers(39, 186, 202, 273, 274, 449, 9, 11);
    static final SyscallNumbers AARCH64 = new SyscallNumbers(172, 178, 98, 99, 100, 449, 222, 215);

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
