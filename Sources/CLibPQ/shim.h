/*
 * libpq, PostgreSQL's own C client library, for the bridge (Debian's libpq-dev).
 *
 * libpq is opened when the bridge first calls it, not when sagalab starts: linked at
 * start-up, it and the two dozen libraries it needs (TLS, Kerberos, LDAP...) cost every
 * start of the lab about 3 ms to map and relocate, bridge or not. So the bridge calls the
 * `sagalab_PQ...` functions below, each of which finds its libpq function once with
 * dlsym; the header is included for the types and signatures only. Two small helpers sit
 * beside them: a worker asks to die with its parent, and posix_spawn's GNU flag for a new
 * session, which Swift cannot see.
 */
#ifndef SAGALAB_CLIBPQ_SHIM_H
#define SAGALAB_CLIBPQ_SHIM_H

#include <dlfcn.h>
#include <postgresql/libpq-fe.h>
#include <sys/prctl.h>
#include <signal.h>

/* libpq itself, opened on first use; NULL when it is not installed. */
static inline void *sagalab_libpq(void) {
    static void *handle;
    if (!handle) handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    return handle;
}

/* Whether libpq could be opened: the bridge asks before its first connection. */
static inline int sagalab_libpq_available(void) {
    return sagalab_libpq() != NULL;
}

/* Defines sagalab_NAME, which calls libpq's NAME, looked up the first time. */
#define SAGALAB_PQ_BODY(name, call)                                            \
        static __typeof__(&name) function;                                     \
        if (!function) function = (__typeof__(&name))dlsym(sagalab_libpq(), #name); \
        call;
#define SAGALAB_PQ(returns, name, parameters, arguments)                       \
    static inline returns sagalab_##name parameters {                          \
        SAGALAB_PQ_BODY(name, return function arguments)                       \
    }
#define SAGALAB_PQ_VOID(name, parameters, arguments)                           \
    static inline void sagalab_##name parameters {                             \
        SAGALAB_PQ_BODY(name, function arguments)                              \
    }

SAGALAB_PQ(PGconn *, PQconnectdb, (const char *conninfo), (conninfo))
SAGALAB_PQ(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
SAGALAB_PQ(char *, PQerrorMessage, (const PGconn *conn), (conn))
SAGALAB_PQ_VOID(PQfinish, (PGconn *conn), (conn))
SAGALAB_PQ(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
SAGALAB_PQ(PGresult *, PQexecParams,
           (PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
            const char *const *paramValues, const int *paramLengths, const int *paramFormats,
            int resultFormat),
           (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
SAGALAB_PQ_VOID(PQclear, (PGresult *res), (res))
SAGALAB_PQ(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
SAGALAB_PQ(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
SAGALAB_PQ(char *, PQresultErrorMessage, (const PGresult *res), (res))
SAGALAB_PQ(int, PQnfields, (const PGresult *res), (res))
SAGALAB_PQ(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
SAGALAB_PQ(int, PQntuples, (const PGresult *res), (res))
SAGALAB_PQ(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
SAGALAB_PQ(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
SAGALAB_PQ(char *, PQcmdTuples, (PGresult *res), (res))
SAGALAB_PQ(int, PQsocket, (const PGconn *conn), (conn))
SAGALAB_PQ(int, PQconsumeInput, (PGconn *conn), (conn))
SAGALAB_PQ(PGnotify *, PQnotifies, (PGconn *conn), (conn))
SAGALAB_PQ_VOID(PQfreemem, (void *ptr), (ptr))

/* The worker receives SIGKILL when the process that started it (the bridge) ends. */
static inline int sagalab_die_with_parent(void) {
    return prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* glibc's POSIX_SPAWN_SETSID (2.26+): the child starts a session of its own. */
static inline short sagalab_spawn_setsid_flag(void) {
    return 0x80;
}

#endif
