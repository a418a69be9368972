/*
 * A hint to the processor to start loading a cache line the kernel will soon write to,
 * for Prefetch.swift (which says why). Swift has no way to emit the instruction itself.
 */
#ifndef SAGALAB_CPREFETCH_SHIM_H
#define SAGALAB_CPREFETCH_SHIM_H

static inline void sagalab_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/* The same for the `bytes` bytes from `address`, which may straddle two cache lines: the
   first byte's line and the last one's (the same line again costs nothing). */
static inline void sagalab_prefetch_bytes(const void *address, long bytes) {
    __builtin_prefetch(address, 1, 3);
    __builtin_prefetch((const char *)address + bytes - 1, 1, 3);
}

#endif
