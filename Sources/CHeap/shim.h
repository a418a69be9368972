/*
 * The process's memory limits, for MemoryUse.swift: the ceiling `explore` and an order
 * range stop below. Swift sees RLIMIT_AS as an enum of glibc's and RLIM_INFINITY not at all,
 * hence this module.
 */
#ifndef SAGALAB_CHEAP_SHIM_H
#define SAGALAB_CHEAP_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

/* The soft limit in bytes on the address space (which = 0, ulimit -v) or the data segment
   (which = 1, ulimit -d), or -1 when there is none: `explore` stops short of it. */
static inline long long sagalab_memory_limit(int which) {
    struct rlimit limit;
    if (getrlimit(which == 0 ? RLIMIT_AS : RLIMIT_DATA, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return -1;
    return limit.rlim_cur > (rlim_t)INT64_MAX ? INT64_MAX : (long long)limit.rlim_cur;
}

#endif
