/*
 * The heap's memory policy, for HeapPolicy.swift (which says why): glibc's malloc tuned
 * with mallopt. Swift's Glibc module does not export <malloc.h>, hence this module.
 */
#ifndef SAGALAB_CHEAP_SHIM_H
#define SAGALAB_CHEAP_SHIM_H

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

/*
 * Keeps allocations of up to 32 MiB in the heap (glibc's default sends them to mmap from
 * 128 KiB up, then adapts), never gives the heap's top back, and grows the heap by `pad`
 * bytes at a time. Address space costs no memory until it is touched.
 */
static inline void sagalab_heap_tune(int pad) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, -1);
    mallopt(M_TOP_PAD, pad);
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

#endif
