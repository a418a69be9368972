/*
 * Asking the operating system, on another core, to back with memory the pages a table of
 * the kernel is about to fill: see Sources/SagaKernel/Kernel/Prefault.swift, which says
 * why and where.
 */
#ifndef SAGALAB_PREFAULT_H
#define SAGALAB_PREFAULT_H

#include <stddef.h>

/* Asks for the whole pages within the `bytes` bytes from `address` to be backed soon: a
   hint, taken by a helper thread that asks the kernel for them (MADV_POPULATE_WRITE) and
   never reads or writes them. It returns at once; a range under a page, a full queue or a
   kernel without the call (before Linux 5.14) make it do nothing. Never call it on memory
   that is mapped from a file. */
void sagalab_prefault(const void *address, size_t bytes);

#endif
