/*
 * C reference for the contended benchmark: the physical limit of a futex lock between processes.
 * N processes (fork) loop lock; counter++; unlock on one word in a MAP_SHARED anonymous mapping
 * for S seconds. Modes:
 *   futex       Drepper's mutex2 (0 free, 1 locked, 2 contended), FUTEX_WAIT/FUTEX_WAKE, no spin
 *   futex-spin  the same, spinning up to 100 times (pause) before FUTEX_WAIT
 *   pthread     a robust, process-shared glibc pthread mutex
 * Prints: <mode> <processes> <total ops> <seconds> <ops/s> <counter ok 0|1>
 * Build: gcc -O2 -o contended contended.c
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

struct shared {
    _Atomic int word;
    pthread_mutex_t mutex;
    long counter;
    _Atomic long ops;
    _Atomic int go;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void futex_lock(_Atomic int *w, int spins) {
    int c = 0;
    if (atomic_compare_exchange_strong(w, &c, 1)) return;
    for (int i = 0; i < spins; i++) {
        __builtin_ia32_pause();
        c = 0;
        if (atomic_load_explicit(w, memory_order_relaxed) == 0 && atomic_compare_exchange_strong(w, &c, 1)) return;
    }
    if (c != 2) c = atomic_exchange(w, 2);
    while (c != 0) {
        syscall(SYS_futex, w, FUTEX_WAIT, 2, NULL, NULL, 0);
        c = atomic_exchange(w, 2);
    }
}

static void futex_unlock(_Atomic int *w) {
    if (atomic_fetch_sub(w, 1) != 1) {
        atomic_store(w, 0);
        syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: contended futex|futex-spin|pthread PROCESSES SECONDS\n");
        return 64;
    }
    const char *mode = argv[1];
    int processes = atoi(argv[2]);
    double seconds = atof(argv[3]);
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(s, 0, sizeof *s);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&s->mutex, &attr);
    int spins = strcmp(mode, "futex-spin") == 0 ? 100 : 0;
    int use_pthread = strcmp(mode, "pthread") == 0;
    for (int p = 0; p < processes; p++) {
        if (fork() == 0) {
            while (!atomic_load(&s->go)) { }
            double end = now() + seconds;
            long ops = 0;
            while ((ops & 255) != 0 || now() < end) {
                if (use_pthread) {
                    if (pthread_mutex_lock(&s->mutex) == EOWNERDEAD) pthread_mutex_consistent(&s->mutex);
                    s->counter++;
                    pthread_mutex_unlock(&s->mutex);
                } else {
                    futex_lock(&s->word, spins);
                    s->counter++;
                    futex_unlock(&s->word);
                }
                ops++;
            }
            atomic_fetch_add(&s->ops, ops);
            _exit(0);
        }
    }
    double start = now();
    atomic_store(&s->go, 1);
    for (int p = 0; p < processes; p++) wait(NULL);
    double elapsed = now() - start;
    printf("%s %d %ld %.3f %.0f %d\n", mode, processes, (long) s->ops, elapsed, s->ops / elapsed,
           s->counter == s->ops);
    return 0;
}
