/*
 * Fixed-arity wrappers over libedit for Swift.
 *
 * Swift cannot call C variadic functions (el_set, el_get, history), and Swift 6
 * strict concurrency rejects reading the C globals stdin/stdout/stderr, so every
 * such use lives here as a small static inline function with a fixed signature.
 */
#ifndef SAGALAB_CEDITLINE_SHIM_H
#define SAGALAB_CEDITLINE_SHIM_H

#include <histedit.h>
#include <langinfo.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Prompt callback: returns the prompt text, which must stay valid until the next call. */
typedef char *(*sagalab_prompt_fn)(EditLine *);
/* Editor command added with EL_ADDFN; returns one of the CC_* codes. */
typedef unsigned char (*sagalab_command_fn)(EditLine *, int);

/*
 * Makes LC_CTYPE follow the environment, falling back to a UTF-8 C locale when the
 * environment names none (LANG/LC_* unset gives the ASCII "C" locale, in which libedit
 * silently drops every non-ASCII key). Must run before el_init.
 */
static inline void sagalab_setup_locale(void) {
    const char *name = setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) {
        return;
    }
    if (name != NULL && strcmp(name, "C") != 0 && strcmp(name, "POSIX") != 0) {
        return;
    }
    static const char *const fallbacks[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"};
    for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
        if (setlocale(LC_CTYPE, fallbacks[i]) != NULL) {
            return;
        }
    }
}

static inline EditLine *sagalab_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline int sagalab_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int sagalab_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

/* Prompt whose characters between two `delimiter` bytes are sent to the terminal but take no columns. */
static inline int sagalab_el_set_prompt_esc(EditLine *el, sagalab_prompt_fn fn, char delimiter) {
    return el_set(el, EL_PROMPT_ESC, fn, delimiter);
}

static inline int sagalab_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *sagalab_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) {
        return NULL;
    }
    return data;
}

static inline int sagalab_el_addfn(EditLine *el, const char *name, const char *help, sagalab_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

/* Binds one key sequence (e.g. "^I") to a named editor command; EL_BIND needs the NULL sentinel. */
static inline int sagalab_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

/* Applies one or two `setty` arguments to a terminal mode ("-d" edit, "-x" execute). */
static inline int sagalab_el_setty(EditLine *el, const char *mode, const char *first, const char *second) {
    return el_set(el, EL_SETTY, mode, first, second, (const char *)NULL);
}

static inline int sagalab_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int sagalab_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

static inline int sagalab_history_setunique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}

static inline int sagalab_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int sagalab_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int sagalab_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

/* Writes through libedit's own output stream so text and line redraws stay in order. */
static inline void sagalab_write_stdout(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

#endif
