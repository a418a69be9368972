/*
 * The heap's memory policy, for HugePages.swift (which says why): glibc's malloc tuned
 * with mallopt, and the heap's range marked for transparent huge pages with madvise.
 * Swift's Glibc module does not export <malloc.h>, hence this module.
 */
#ifndef SAGALAB_CHEAP_SHIM_H
#define SAGALAB_CHEAP_SHIM_H

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/*
 * Keeps allocations of up to 32 MiB in the heap (glibc's default sends them to mmap from
 * 128 KiB up, then adapts), never gives the heap's top back (a heap that shrank grows
 * again as a new range, without the mark), grows the heap by `pad` bytes at a time from
 * now on, and grows it at once by `reserve`. Address space costs no memory until it is
 * touched. Returns where the heap ended before, for sagalab_heap_mark.
 */
static inline uintptr_t sagalab_heap_prepare(int reserve, int pad) {
    uintptr_t before = (uintptr_t)sbrk(0);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, -1);
    mallopt(M_TOP_PAD, reserve);
    /* Larger than the free space at the heap's top, so malloc has to grow the heap;
       volatile, or the compiler drops an allocation nobody uses. */
    void *volatile probe = malloc(16 << 20);
    free(probe);
    /* Where the heap could not grow, growing it by `pad` would fail as well: glibc's
       default (128 KiB) then stays. */
    mallopt(M_TOP_PAD, (uintptr_t)sbrk(0) > before ? pad : 128 << 10);
    return before;
}

/* Whether the process may take address space without a limit (ulimit -v, -d): a heap
   grown ahead of need must not use up a limit the lab would otherwise stay within. */
static inline int sagalab_address_space_unlimited(void) {
    struct rlimit as, data;
    return getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur == RLIM_INFINITY
        && getrlimit(RLIMIT_DATA, &data) == 0 && data.rlim_cur == RLIM_INFINITY;
}

/* The soft limit in bytes on the address space (which = 0, ulimit -v) or the data segment
   (which = 1, ulimit -d), or -1 when there is none: `explore` stops short of it. */
static inline long long sagalab_memory_limit(int which) {
    struct rlimit limit;
    if (getrlimit(which == 0 ? RLIMIT_AS : RLIMIT_DATA, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return -1;
    return limit.rlim_cur > (rlim_t)INT64_MAX ? INT64_MAX : (long long)limit.rlim_cur;
}

/* Where the heap ends now. */
static inline uintptr_t sagalab_heap_end(void) {
    return (uintptr_t)sbrk(0);
}

/* Marks the whole 2 MiB pages of [from, to) MADV_HUGEPAGE; 0 when it did. */
static inline int sagalab_heap_mark(uintptr_t from, uintptr_t to) {
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = (from + huge - 1) & ~(huge - 1);
    uintptr_t end = to & ~(huge - 1);
    if (end <= start) {
        /* Not a whole huge page: the heap did not grow, or not by enough yet. */
        return -1;
    }
    return madvise((void *)start, end - start, MADV_HUGEPAGE);
}

#endif
