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

#include <errno.h>
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
/* 0 until the first request starts the thread, 1 while it runs, -1 when it could not be
   started or the kernel has no MADV_POPULATE_WRITE: requests are then ignored. */
static int state;
static uintptr_t page;

static void *backPages(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (taken == given) pthread_cond_wait(&arrived, &lock);
        uintptr_t start = starts[taken % WAITING], end = ends[taken % WAITING];
        taken++;
        pthread_mutex_unlock(&lock);
        /* A range freed and unmapped meanwhile fails (ENOMEM): nothing to back. */
        if (madvise((void *)start, end - start, MADV_POPULATE_WRITE) != 0 && errno == EINVAL) {
            __atomic_store_n(&state, -1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

void sagalab_prefault(const void *address, size_t bytes) {
    if (__atomic_load_n(&state, __ATOMIC_RELAXED) < 0) return;
    if (page == 0) page = (uintptr_t)sysconf(_SC_PAGESIZE);
    /* Whole pages only: the page an allocation begins or ends in may hold another's bytes. */
    uintptr_t start = ((uintptr_t)address + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)address + bytes) & ~(page - 1);
    if (end <= start) return;
    pthread_mutex_lock(&lock);
    if (state == 0) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        /* The thread takes no signal: Ctrl-C, a resized window and the rest still reach
           the thread they always reached, and interrupt what it waits on. */
        sigset_t all, before;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &before);
        state = pthread_create(&thread, &attributes, backPages, NULL) == 0 ? 1 : -1;
        pthread_sigmask(SIG_SETMASK, &before, NULL);
        pthread_attr_destroy(&attributes);
    }
    if (state == 1 && given - taken < WAITING) {
        starts[given % WAITING] = start;
        ends[given % WAITING] = end;
        given++;
        pthread_cond_signal(&arrived);
    }
    pthread_mutex_unlock(&lock);
}
