/*
 * The helper thread behind sagalab_prefault (see prefault.h).
 *
 * A page the kernel touches for the first time costs a page fault, some two microseconds
 * on this machine: a million orders fault in a gigabyte, a fifth of their run. Asked for
 * ahead, the same pages are backed by this thread while the world works on: the kernel
 * does the same work, on the other core. The thread only calls madvise on address ranges
 * it is given; it touches no byte in them and no object of Swift's, so the world stays
 * single-threaded and its reference counts need no atomic instructions.
 */
#define _GNU_SOURCE
#include "prefault.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Ranges waiting, first in first out; a request finding it full is dropped: it is a hint. */
#define WAITING 256
static uintptr_t starts[WAITING], ends[WAITING];
static unsigned long taken, given;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;
/* 0 until the first request starts the thread, 1 while it runs, -1 when the kernel has no
   MADV_POPULATE_WRITE or the thread could not be started: requests are then ignored.
   Written under the lock, read before it too (atomically) to skip it when ignored. */
static int state;

static void *backPages(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (taken == given) pthread_cond_wait(&arrived, &lock);
        uintptr_t start = starts[taken % WAITING], end = ends[taken % WAITING];
        taken++;
        pthread_mutex_unlock(&lock);
        /* A range freed and unmapped meanwhile fails (ENOMEM), as does one the process
           may not write (EINVAL): nothing to back, and the next range is taken as ever. */
        (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
    }
    return NULL;
}

/* Whether this kernel backs pages on request (Linux 5.14 on), asked of a page of its own:
   an error on a range later says nothing of the kernel, only of the range. */
static int kernelPopulates(uintptr_t page) {
    void *probe = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe == MAP_FAILED) return 0;
    int populates = madvise(probe, page, MADV_POPULATE_WRITE) == 0;
    munmap(probe, page);
    return populates;
}

/* Starts the helper, taking no signal: Ctrl-C, a resized window and the rest still reach
   the thread they always reached, and interrupt what it waits on. 1, or -1 on failure. */
static int startHelper(void) {
    pthread_t thread;
    pthread_attr_t attributes;
    sigset_t all, before;
    if (pthread_attr_init(&attributes) != 0) return -1;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &before);
    int started = pthread_create(&thread, &attributes, backPages, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    pthread_attr_destroy(&attributes);
    return started ? 1 : -1;
}

void sagalab_prefault(const void *address, size_t bytes) {
    if (__atomic_load_n(&state, __ATOMIC_RELAXED) < 0) return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    /* Only the pages wholly inside the range: one it only partly covers is another's. */
    uintptr_t start = ((uintptr_t)address + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)address + bytes) & ~(page - 1);
    if (end <= start) return;
    pthread_mutex_lock(&lock);
    if (state == 0) __atomic_store_n(&state, kernelPopulates(page) ? startHelper() : -1, __ATOMIC_RELAXED);
    if (state == 1 && given - taken < WAITING) {
        starts[given % WAITING] = start;
        ends[given % WAITING] = end;
        given++;
        pthread_cond_signal(&arrived);
    }
    pthread_mutex_unlock(&lock);
}
