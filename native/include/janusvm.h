/*
 * janusvm.h — the embedding surface of the Janus bytecode VM (native/src/vm).
 *
 * The VM executes a compiled Janus module (native/BYTECODE.md) on the fibers of a
 * libjanusrt run. Java (scheduler/, through jnr-ffi) uses it like this:
 *
 *     jvm_module *m = jvm_module_load(bytes, len, err, sizeof err);   // verify + load
 *     jrt_runtime *rt = jrt_create(&cfg);
 *     jvm_start(rt, m);            // init function, then main, as task 0
 *     ... drain events (jrt_events_read), jrt_wait(rt, -1), jrt_result(rt) ...
 *     jrt_destroy(rt);
 *     jvm_module_free(m);          // only after the run that used it is destroyed
 *
 * Everything here takes and returns pointers, int32/int64 and byte buffers only, so it
 * binds with jnr-ffi without structs by value.
 *
 * func_id in task_spawn events (and jrt_start's func_id for task 0) is the index of the
 * task's function in the module's function table. Tasks started from async builtins
 * (`async sleep(10)`) run a compiler-generated helper function and so also carry a
 * function index; JVM_FUNC_ID_BUILTIN + builtin id is reserved for a VM that starts
 * builtin tasks without a helper (the v1 VM never emits it). jvm_func_name() maps an id
 * back to a name for display (`fetch#3`).
 *
 * A module may back at most one run at a time (its top-level `var`s live in it).
 */
#ifndef JANUSVM_H
#define JANUSVM_H

#include <stdint.h>

#include "janusrt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JVM_FUNC_ID_BUILTIN 0x40000000u

typedef struct jvm_module jvm_module;

/* Verify then load a module (bytes are copied). NULL on failure with a one-line reason
 * in err (always NUL-terminated when err_cap > 0). */
JRT_API jvm_module *jvm_module_load(const uint8_t *bytes, int64_t len, char *err,
                                    int64_t err_cap);
/* Free a module; call after the run that used it is destroyed (jrt_destroy). */
JRT_API void jvm_module_free(jvm_module *m);

/* Start running m on rt (created with jrt_create, not yet started): installs the VM's
 * drop hooks, runs the module's init function then main as task 0 (func_id = main's
 * function index). Returns 0 or a JRT_E* code. Then the caller uses
 * jrt_wait/jrt_result/jrt_destroy as usual. */
JRT_API int jvm_start(jrt_runtime *rt, jvm_module *m);

/* Read-only information. */
JRT_API int32_t jvm_function_count(const jvm_module *m);
/* Name of function id (a function index, or JVM_FUNC_ID_BUILTIN + builtin id);
 * "?" when out of range. Valid while m lives. */
JRT_API const char *jvm_func_name(const jvm_module *m, int64_t func_id);

enum { /* jvm_stat keys, for the run currently or last started on m */
    JVM_STAT_BYTES_ALLOCATED = 0, /* total bytes of VM objects allocated */
    JVM_STAT_BYTES_LIVE = 1,      /* bytes of VM objects not yet freed */
    JVM_STAT_BYTES_PEAK = 2,      /* peak of BYTES_LIVE (approximate under contention) */
    JVM_STAT_INSTRUCTIONS = 3,    /* VM instructions executed (charged) */
    JVM_STAT_TASKS = 4            /* VM task bodies started */
};
JRT_API int64_t jvm_stat(const jvm_module *m, int32_t key);

/* Write a disassembly of m (one function per block, as native/src/vm/debug.c prints it)
 * into buf (NUL-terminated, truncated to cap). Returns the full length needed. */
JRT_API int64_t jvm_disassemble(const jvm_module *m, char *buf, int64_t cap);

#ifdef __cplusplus
}
#endif
#endif /* JANUSVM_H */
