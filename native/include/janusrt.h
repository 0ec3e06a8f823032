/*
 * janusrt.h — the public surface of libjanusrt, the CBC-MN fiber runtime.
 *
 * Three kinds of caller use this header, and each uses a different part:
 *
 *   1. Java (scheduler/, through jnr-ffi) creates a runtime from a config, starts it,
 *      controls it (pause / step / resume / stop) and drains its event rings. Those
 *      functions take and return only ints, longs and pointers: no struct by value.
 *   2. The bytecode VM (native/src/vm) is the client that runs ON the fibers: it calls
 *      the task API (spawn, await, nurseries, cancellation, sleep, budgets, output).
 *   3. C tests and the benchmark binary, which use both halves directly.
 *
 * Everything the runtime does is recorded as events (spec/TRACE.md); the exact binary
 * layout of an event record is documented at "Events" below.
 *
 * Threading rules in one paragraph: task-API functions (jrt_spawn ... jrt_emit_*) may
 * only be called from code running on a fiber of a started runtime; they find the
 * current task themselves. Control and event functions may be called from any thread,
 * but each event ring has exactly one consumer (either jrt_events_read or a reader of
 * the raw rings, never both). See native/HACKING.md for the internals.
 */
#ifndef JANUSRT_H
#define JANUSRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(JRT_BUILDING_LIBRARY)
#define JRT_API __attribute__((visibility("default")))
#else
#define JRT_API
#endif

#define JRT_VERSION 1

/* ------------------------------------------------------------------------------------
 * Return codes. Every int-returning call returns one of these (0 = success).
 * ---------------------------------------------------------------------------------- */
enum {
    JRT_OK = 0,
    JRT_ECANCELLED = 1,  /* a checkpoint in a cancelled task, or a spawn into a
                            cancelled/closing nursery: the VM raises Runtime.Cancelled */
    JRT_ESPAWNLIMIT = 2, /* nursery already holds max_tasks_per_nursery live children */
    JRT_ETASKLIMIT = 3,  /* the run already created max_total_tasks tasks (VM: SpawnLimit) */
    JRT_EBUDGET = 4,     /* task memory budget exceeded (VM: Runtime.BudgetExceeded) */
    JRT_EINVAL = 5,      /* bad argument (e.g. joining a nursery that is not innermost) */
    JRT_ENOMEM = 6,
    JRT_ESTATE = 7,      /* call not legal now (task API off a fiber, start twice, ...) */
    JRT_ETIMEDOUT = 8,   /* jrt_wait: run still going when the timeout expired */
    JRT_ESTOPPED = 9     /* jrt_charge: the run is stopping; unwind as if Cancelled */
};

/* ------------------------------------------------------------------------------------
 * Configuration: a flat struct of int64 fields, so Java can fill it as a long[] or a
 * jnr-ffi Struct. Always call jrt_config_init first (it sets the defaults below), then
 * override fields. jrt_config_size() lets the Java side check it agrees on the size.
 * ---------------------------------------------------------------------------------- */
enum { JRT_MODE_LIVE = 0, JRT_MODE_DETERMINISTIC = 1 };
/* JRT_EVENTS_OUTPUT: only the program's own events (print, error) and run_start/run_end;
 * for a headless run that records no trace, where writing the scheduling events (four per
 * budget yield) would be pure overhead. */
enum { JRT_EVENTS_OFF = 0, JRT_EVENTS_ON = 1, JRT_EVENTS_OUTPUT = 2 };

typedef struct jrt_config {
    int64_t workers;               /* worker count N, 1..64 (default 2) */
    int64_t mode;                  /* JRT_MODE_* (default live) */
    int64_t seed;                  /* seed for the schedule (det), random(), colouring */
    int64_t quantum;               /* ops a task runs before a budget yield (1000) */
    int64_t stack_kb;              /* fiber stack size in KiB, 4..1024 (8); sanitizer
                                      builds raise it to at least 64 */
    int64_t max_tasks_per_nursery; /* live children per nursery (1,000,000) */
    int64_t max_total_tasks;       /* tasks created per run, root included (2,000,000) */
    int64_t task_memory;           /* bytes a task may account (16 MiB) */
    int64_t max_run_ms;            /* wall (live) / virtual (det) run-time limit; 0 = none */
    int64_t events;                /* JRT_EVENTS_OFF / _ON / _OUTPUT (on) */
    int64_t line_events;           /* 1 = the VM's jrt_line() emits `line` events (0) */
    int64_t ring_kb;               /* bytes per event ring in KiB, power of two (1024) */
    int64_t op_ns;                 /* det mode: virtual ns per charged op (10) */
    int64_t switch_ns;             /* det mode: virtual ns per task switch-in (100) */
    int64_t grace_ms;              /* stop: wait this long for tasks to unwind (50) */
    int64_t reserved[9];           /* zero; room to grow without breaking the ABI */
} jrt_config;

JRT_API void jrt_config_init(jrt_config *cfg);
JRT_API int64_t jrt_config_size(void);

/* ------------------------------------------------------------------------------------
 * Outcomes. A task ends ok (with an opaque client value word), with an error (a client
 * error object plus its rendered text), or cancelled. The runtime never interprets
 * `value` or `error`; it calls the client's drop hooks when the last reference to the
 * task (or the nursery keeping a first error) goes away.
 * ---------------------------------------------------------------------------------- */
enum { JRT_OUTCOME_OK = 0, JRT_OUTCOME_ERROR = 1, JRT_OUTCOME_CANCELLED = 2 };

typedef struct jrt_outcome {
    int32_t kind;       /* JRT_OUTCOME_* */
    int32_t reserved;
    uint64_t value;     /* kind OK: client value word */
    void *error;        /* kind ERROR: client error object (may be NULL) */
    const char *text;   /* rendered value (OK) or error name (ERROR), UTF-8, may be NULL */
} jrt_outcome;

/* A task body: runs on a fiber, returns its outcome. `text` is copied as the function
 * returns (OK: up to 255 bytes, for the task_done event; ERROR: all of it, kept with
 * the task), so it may point into a buffer the body owned. Ownership of value/error
 * passes to the runtime (handed back, borrowed, by jrt_await / jrt_nursery_join). */
typedef jrt_outcome (*jrt_task_fn)(void *arg);

/* Drop hooks for client values/errors (called from any worker, never concurrently for
 * the same object). Either may be NULL. Set before jrt_start. */
typedef void (*jrt_value_drop_fn)(uint64_t value);
typedef void (*jrt_error_drop_fn)(void *error);

/* ------------------------------------------------------------------------------------
 * Runtime lifecycle and control (any thread; FFI-friendly).
 * One runtime object = one run: create -> start -> (control...) -> wait -> destroy.
 * ---------------------------------------------------------------------------------- */
typedef struct jrt_runtime jrt_runtime;
typedef struct jrt_task jrt_task;
typedef struct jrt_nursery jrt_nursery;

enum { /* jrt_status */
    JRT_STATUS_CREATED = 0, JRT_STATUS_RUNNING = 1, JRT_STATUS_PAUSED = 2,
    JRT_STATUS_STOPPING = 3, JRT_STATUS_FINISHED = 4
};
enum { /* jrt_result, and run_end.status */
    JRT_RESULT_NONE = -1, JRT_RESULT_OK = 0, JRT_RESULT_ERROR = 1, JRT_RESULT_ABORTED = 2
};

JRT_API jrt_runtime *jrt_create(const jrt_config *cfg);   /* NULL on bad config / OOM */
JRT_API void jrt_set_drop_hooks(jrt_runtime *rt, jrt_value_drop_fn drop_value,
                                jrt_error_drop_fn drop_error);
/* Optional: retain a client error object (when a body nursery's child error becomes
 * the parent task's own outcome, both hold it). */
JRT_API void jrt_set_error_retain_hook(jrt_runtime *rt, void (*retain_error)(void *));
/* Optional: free the argument of a task that will never run (cancelled before it
 * started: its body, which would normally own and free `arg`, is skipped). Called on a
 * worker, with the fn and arg given to jrt_spawn. */
JRT_API void jrt_set_arg_drop_hook(jrt_runtime *rt, void (*drop_arg)(jrt_task_fn fn, void *arg));
/* Optional: name of a func_id, used in fatal messages ("stack overflow in task f#3"). */
JRT_API void jrt_set_func_names(jrt_runtime *rt, const char *(*name)(uint32_t func_id));
JRT_API void jrt_set_user_data(jrt_runtime *rt, void *data); /* for the client (VM) */
JRT_API void *jrt_user_data(jrt_runtime *rt);

/* Start the run: task 0 (`main`, func_id) runs fn(arg) in root nursery 0. Returns at
 * once; the run proceeds on the runtime's own threads. */
JRT_API int jrt_start(jrt_runtime *rt, jrt_task_fn fn, void *arg, uint32_t func_id);
/* Wait for the end of the run: returns 0 when finished, JRT_ETIMEDOUT if still running
 * after timeout_ms (timeout_ms < 0 waits forever). */
JRT_API int jrt_wait(jrt_runtime *rt, int64_t timeout_ms);
/* C convenience: start + wait forever; copies the root task's outcome to *root (value
 * and error borrowed until jrt_destroy). Returns jrt_result(rt). */
JRT_API int jrt_run(jrt_runtime *rt, jrt_task_fn fn, void *arg, uint32_t func_id,
                    jrt_outcome *root);

JRT_API void jrt_pause(jrt_runtime *rt);  /* workers stop at their next scheduling point
                                             or event; no event is released while paused */
JRT_API void jrt_step(jrt_runtime *rt);   /* while paused: release exactly one event */
JRT_API void jrt_resume(jrt_runtime *rt);
/* Stop: cancel every task (cancel_request nursery 0, reason explicit, by -1), let them
 * unwind for grace_ms, then abandon tasks that never check (their worker is pulled off
 * the fiber by a signal) and tear the run down; result ABORTED. Returns at once. */
JRT_API void jrt_stop(jrt_runtime *rt);
JRT_API int32_t jrt_status(jrt_runtime *rt);
JRT_API int32_t jrt_result(jrt_runtime *rt);
/* Text explaining an ERROR/ABORTED result ("" when ok); valid until jrt_destroy. */
JRT_API const char *jrt_result_text(jrt_runtime *rt);
JRT_API void jrt_destroy(jrt_runtime *rt);  /* waits for the run first if still going */

enum { /* jrt_stat keys (the CLI's --stats) */
    JRT_STAT_TASKS = 0, JRT_STAT_SWITCHES = 1, JRT_STAT_STEALS = 2,
    JRT_STAT_PEAK_LIVE_TASKS = 3, JRT_STAT_EVENTS = 4, JRT_STAT_DROPPED = 5,
    JRT_STAT_RUN_NS = 6, JRT_STAT_LIVE_TASKS = 7, JRT_STAT_STACK_BYTES = 8
};
JRT_API int64_t jrt_stat(jrt_runtime *rt, int32_t key);

/* ------------------------------------------------------------------------------------
 * Task API — call only from code running on a fiber of this runtime.
 * ---------------------------------------------------------------------------------- */

/* Spawn fn(arg) as a child of the calling task, into nursery n, or when n is NULL into
 * the innermost nursery the caller has open, else its implicit body nursery (created
 * on first use; it joins when the body returns). If handle is non-NULL it receives a
 * new reference to the task (release with jrt_task_release). Returns 0, JRT_ECANCELLED
 * (n cancelled or closing), JRT_ESPAWNLIMIT, JRT_ETASKLIMIT or JRT_ENOMEM. */
JRT_API int jrt_spawn(jrt_nursery *n, jrt_task_fn fn, void *arg, uint32_t func_id,
                      jrt_task **handle);
JRT_API void jrt_task_retain(jrt_task *h);
JRT_API void jrt_task_release(jrt_task *h);
JRT_API int64_t jrt_task_id_of(const jrt_task *h);
JRT_API int32_t jrt_task_is_done(const jrt_task *h);

/* Checkpoint: wait for h and copy its outcome (borrowed: valid while the caller holds
 * h). Returns 0 (look at out->kind) or JRT_ECANCELLED if the CALLER is cancelled. */
JRT_API int jrt_await(jrt_task *h, jrt_outcome *out);
/* Checkpoint: wait until one of hs[0..n) is done; *index = the lowest done index. */
JRT_API int jrt_await_any(jrt_task *const *hs, int32_t n, int32_t *index);

/* Nurseries. open: a new innermost nursery owned by the caller (one reference to it
 * goes to the caller). join: the block's `end` — waits for every child, closes the
 * nursery, and returns 0 with out = ok / the first child error (borrowed until the
 * nursery is released), or JRT_ECANCELLED when the caller itself was cancelled and no
 * child failed. join_error: the owner's own code raised `error_text`: cancel (reason
 * failure), wait, close with that error; returns as join. Only the innermost nursery
 * can be joined (else JRT_EINVAL). */
JRT_API int jrt_nursery_open(jrt_nursery **out);
JRT_API int jrt_nursery_join(jrt_nursery *n, jrt_outcome *out);
JRT_API int jrt_nursery_join_error(jrt_nursery *n, const char *error_text,
                                   jrt_outcome *out);
JRT_API void jrt_nursery_cancel(jrt_nursery *n);      /* reason explicit; twice = no-op */
JRT_API int32_t jrt_nursery_is_cancelled(const jrt_nursery *n);
JRT_API int64_t jrt_nursery_id(const jrt_nursery *n);
JRT_API void jrt_nursery_retain(jrt_nursery *n);
JRT_API void jrt_nursery_release(jrt_nursery *n);

JRT_API void jrt_cancel(jrt_task *h);        /* reason explicit; done task = no-op */
JRT_API int32_t jrt_is_cancelled(void);      /* poll: emits cancel_observe(poll) once */
JRT_API int jrt_checkpoint(void);            /* JRT_ECANCELLED if cancelled, else 0 */
JRT_API int jrt_sleep(int64_t ms);           /* checkpoint; task_block on=sleep */
JRT_API int jrt_sleep_ns(int64_t ns);
JRT_API int jrt_io_wait(int64_t ms);         /* simulated I/O: like sleep, on=io */
JRT_API int jrt_yield(void);                 /* checkpoint; to the back of the queue */

/* Budgets. charge: account `ops` VM instructions (det mode: advances the virtual clock
 * by ops*op_ns); yields (reason budget, not a checkpoint) once the quantum is used up.
 * Returns 0, or JRT_ESTOPPED when the run is stopping. mem_charge: account an
 * allocation (negative = free); JRT_EBUDGET once the task is over task_memory (the
 * charge is still recorded, so the client must free or raise). */
JRT_API int jrt_charge(int64_t ops);
JRT_API int jrt_mem_charge(int64_t bytes);

JRT_API jrt_task *jrt_current_task(void);    /* borrowed; NULL off-fiber */
JRT_API jrt_runtime *jrt_current_runtime(void);
JRT_API int64_t jrt_task_id(void);
JRT_API int32_t jrt_worker_id(void);         /* worker running the caller right now */
JRT_API int64_t jrt_now_ms(void);            /* since run start; virtual in det mode */
JRT_API int64_t jrt_now_ns(void);
JRT_API int64_t jrt_random(int64_t n);       /* 0..n-1 from the run's seeded generator */

/* Run fn(arg) on the worker's own (large) thread stack, then return to the fiber:
 * for deep or libc-heavy work (float formatting) that does not fit an 8 KB stack.
 * fn must not call any task-API function. */
JRT_API void jrt_call_on_worker_stack(void (*fn)(void *), void *arg);

/* VM events: current source line (also used as `line` of spawn/nursery/cancel events;
 * emits a `line` event when line_events is on), program output, escaped error
 * (error = "Set.Variant", trace = multi-line text, both copied). */
JRT_API void jrt_line(int32_t line);
JRT_API void jrt_emit_print(const char *text, size_t len);
JRT_API void jrt_emit_error(const char *error, int32_t line, const char *trace);

/* ------------------------------------------------------------------------------------
 * Events.
 *
 * Rings. There are jrt_ring_count(rt) = workers + 1 rings; ring i < workers is written
 * only by worker i, ring `workers` by the runtime itself (w = -1: run_start, run_end,
 * cancellations requested from outside the workers). A ring is `size` bytes (a power
 * of two) at `base`; `*head` and `*tail` are monotonically increasing byte counters
 * (never wrapped; offset = counter & (size-1)). The producer writes records at tail
 * then publishes tail with a release store; the consumer reads records in [head, tail)
 * (acquire load of tail) and then publishes head with a release store. On x86_64 a Java
 * reader may use plain/volatile 8-byte loads and stores on those words.
 *
 * Record (little-endian, 8-byte aligned, never split across the ring end):
 *   off  0  u32 size       whole record in bytes, multiple of 8, >= 64
 *   off  4  u16 kind       JRT_EV_*; kind 0 (PAD) fills the ring's tail end: skip it
 *   off  6  i16 w          worker index, -1 = runtime
 *   off  8  u64 seq        global order, gap-free from 0 across all rings
 *   off 16  i64 t          ns since run start (virtual in deterministic mode)
 *   off 24  i64 a          kind-specific fields, see the table below
 *   off 32  i64 b
 *   off 40  i64 c
 *   off 48  i32 d
 *   off 52  i32 e
 *   off 56  u32 text_len   bytes of UTF-8 text at offset 64 (not NUL-terminated)
 *   off 60  u32 reserved   0
 *   off 64  text, zero-padded to the record size
 *
 * Merging: each ring is in increasing seq order; a consumer merging rings emits seq s
 * only after s-1 (a record with a larger seq may become visible in another ring before
 * the one with s is published). jrt_events_read does exactly that.
 *
 * Live mode: a full ring drops the event (no seq is consumed, so seq stays gap-free)
 * and counts it; run_end.b reports the total. Deterministic mode: the producer waits
 * for the consumer instead (dropped is always 0), so somebody must drain the rings.
 * ---------------------------------------------------------------------------------- */
enum {
    JRT_EV_PAD = 0,
    JRT_EV_RUN_START = 1,      /* a=workers b=mode c=seed */
    JRT_EV_WORKER_PARK = 2,    /* - */
    JRT_EV_WORKER_UNPARK = 3,  /* - */
    JRT_EV_NURSERY_OPEN = 4,   /* a=nursery b=owner task (-1 root) c=parent nursery (-1)
                                  e=line */
    JRT_EV_TASK_SPAWN = 5,     /* a=task b=parent task (-1 for main) c=nursery d=func_id
                                  e=line */
    JRT_EV_TASK_PUSH = 6,      /* a=task b=queue (worker, -1 inject) c=pos (JRT_POS_*) */
    JRT_EV_TASK_POP = 7,       /* a=task b=queue it came from (worker, -1 inject) */
    JRT_EV_TASK_STEAL = 8,     /* a=task b=victim worker; thief = w; the task is now in
                                  w's queue (task_run removes a task from any queue) */
    JRT_EV_TASK_RUN = 9,       /* a=task */
    JRT_EV_TASK_YIELD = 10,    /* a=task b=reason (JRT_YIELD_*) */
    JRT_EV_TASK_BLOCK = 11,    /* a=task b=on (JRT_BLOCK_*) c=target: task id (await),
                                  nursery id (join), wake time ns (sleep/io), -1 (any) */
    JRT_EV_TASK_WAKE = 12,     /* a=task b=by (task id, -1 timer/io/runtime) */
    JRT_EV_CANCEL_REQUEST = 13,/* a=target_kind (JRT_TARGET_*) b=target c=by task (-1)
                                  d=reason (JRT_REASON_*) */
    JRT_EV_CANCEL_OBSERVE = 14,/* a=task b=how (JRT_HOW_*) e=line */
    JRT_EV_TASK_DONE = 15,     /* a=task b=outcome (JRT_OUTCOME_*) c=cancel_requested
                                  text=rendered value or error */
    JRT_EV_NURSERY_JOIN = 16,  /* a=nursery */
    JRT_EV_NURSERY_CLOSE = 17, /* a=nursery b=outcome (JRT_OUTCOME_*) text=error */
    JRT_EV_PRINT = 18,         /* a=task text */
    JRT_EV_LINE = 19,          /* a=task e=line */
    JRT_EV_ERROR = 20,         /* a=task e=line text="error" NUL "trace" */
    JRT_EV_RUN_END = 21,       /* a=status (JRT_RESULT_*) b=dropped text=result text */
    JRT_EV_KIND_COUNT = 22
};
enum { JRT_POS_TOP = 0, JRT_POS_BOTTOM = 1 };
enum { JRT_YIELD_BUDGET = 0, JRT_YIELD_YIELD = 1 };
enum { JRT_BLOCK_AWAIT = 0, JRT_BLOCK_SLEEP = 1, JRT_BLOCK_IO = 2, JRT_BLOCK_JOIN = 3 };
enum { JRT_TARGET_TASK = 0, JRT_TARGET_NURSERY = 1 };
enum { JRT_REASON_EXPLICIT = 0, JRT_REASON_FAILURE = 1, JRT_REASON_PARENT = 2 };
enum { JRT_HOW_POLL = 0, JRT_HOW_CHECKPOINT = 1 };

#define JRT_EVENT_HEADER_BYTES 64

/* The record header as a C struct (tests, C readers). */
typedef struct jrt_event {
    uint32_t size;
    uint16_t kind;
    int16_t w;
    uint64_t seq;
    int64_t t;
    int64_t a, b, c;
    int32_t d, e;
    uint32_t text_len;
    uint32_t reserved;
    /* char text[text_len] follows */
} jrt_event;

JRT_API const char *jrt_event_kind_name(int32_t kind);  /* "task_spawn", ... */

JRT_API int32_t jrt_ring_count(jrt_runtime *rt);
JRT_API void *jrt_ring_base(jrt_runtime *rt, int32_t ring);
JRT_API int64_t jrt_ring_size(jrt_runtime *rt, int32_t ring);
JRT_API uint64_t *jrt_ring_head(jrt_runtime *rt, int32_t ring);  /* consumer's word */
JRT_API uint64_t *jrt_ring_tail(jrt_runtime *rt, int32_t ring);  /* producer's word */

/* Drain: copy whole records, merged in seq order, into buf (at most cap bytes; PAD
 * records are not copied). Returns bytes copied (0 = nothing available right now).
 * Single consumer. After the run has finished and this returns 0, the stream is done
 * (the last record was run_end). */
JRT_API int64_t jrt_events_read(jrt_runtime *rt, void *buf, int64_t cap);

#ifdef __cplusplus
}
#endif
#endif /* JANUSRT_H */
