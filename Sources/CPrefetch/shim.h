/*
 * A hint to the processor to start loading a cache line the kernel will soon write to,
 * for Prefetch.swift (which says why). Swift has no way to emit the instruction itself.
 */
#ifndef SAGALAB_CPREFETCH_SHIM_H
#define SAGALAB_CPREFETCH_SHIM_H

static inline void sagalab_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
