/*
 * libpq, PostgreSQL's own C client library, for the bridge (Debian's libpq-dev).
 *
 * Everything the bridge calls in libpq is a plain C function with a fixed signature, so
 * the header is included as it is. Two small helpers sit beside it: a worker asks to die
 * with its parent, and posix_spawn's GNU flag for a new session, which Swift cannot see.
 */
#ifndef SAGALAB_CLIBPQ_SHIM_H
#define SAGALAB_CLIBPQ_SHIM_H

#include <libpq-fe.h>
#include <sys/prctl.h>
#include <signal.h>

/* The worker receives SIGKILL when the process that started it (the bridge) ends. */
static inline int sagalab_die_with_parent(void) {
    return prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* glibc's POSIX_SPAWN_SETSID (2.26+): the child starts a session of its own. */
static inline short sagalab_spawn_setsid_flag(void) {
    return 0x80;
}

#endif
