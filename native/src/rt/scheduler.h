/*
 * scheduler.h — the runtime object (one run) and the scheduler's shared state.
 * The design essay is at the top of scheduler.c.
 */
#ifndef JRT_SCHEDULER_H
#define JRT_SCHEDULER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "events.h"
#include "janusrt.h"
#include "nursery.h"
#include "objcache.h"
#include "stack_pool.h"
#include "sync.h"
#include "task.h"
#include "worker.h"

#define JRT_MAX_WORKERS 64
#define JRT_ID_BLOCK 256

/* Shared FIFO for overflow, budget yields and wake-ups from non-worker threads.
 * Intrusive (task->next), so it can never be full; `n` lets idle workers look at it
 * without the lock. */
typedef struct jrt_inject {
    jrt_spin lock;
    jrt_task *head, *tail;
    _Atomic int64_t n;
} jrt_inject;

typedef struct jrt_runtime {
    jrt_config cfg;
    int nworkers;
    int det;                          /* deterministic mode */
    int events_on;                    /* every event of TRACE.md (JRT_EVENTS_ON) */
    int output_on;                    /* the rings exist: at least print/error/run_* */
    int line_events;
    jrt_value_drop_fn drop_value;
    jrt_error_drop_fn drop_error;
    void (*retain_error)(void *);
    void (*drop_arg)(jrt_task_fn fn, void *arg);
    void *user;
    const char *(*func_name)(uint32_t func_id);

    jrt_worker *workers;              /* [nworkers], each cache-aligned */
    jrt_inject inject;
    jrt_stack_pool stacks;
    jrt_obj_pool task_pool, nursery_pool;
    jrt_nursery *root_nursery;
    jrt_task *root_task;

    /* ids */
    _Atomic int64_t next_task_id, next_nursery_id;

    /* events */
    jrt_ring *rings;                  /* [nworkers + 1]; the last is the runtime ring */
    _Atomic uint64_t seq;
    uint64_t read_seq;                /* consumer: next seq to hand out */

    /* clock */
    int64_t t0;                       /* live: monotonic ns at start */
    uint64_t tsc0;                    /* live: the TSC at t0 (0: event times use the clock) */
    _Atomic int64_t vclock;           /* det: virtual ns (written by the driver only) */

    /* parking (live) */
    _Atomic uint32_t park_epoch;
    _Atomic int32_t nidle;
    _Atomic int32_t nspinning;

    /* run state */
    _Atomic int32_t status;           /* JRT_STATUS_* */
    _Atomic int32_t finished;         /* root nursery empty: workers exit */
    _Atomic int32_t stopping;         /* stop requested: abandon path armed */
    _Atomic int32_t abandon;          /* grace over: workers drop their fibers */
    _Atomic int32_t live_exited;
    _Atomic int32_t cancel_walks;     /* cancel walks in progress (events on, nursery.c) */
    int32_t result;
    char result_text[512];
    jrt_outcome root_outcome;
    _Atomic int64_t peak_live;
    int64_t run_ns;

    /* control */
    pthread_mutex_t ctl_lock;
    pthread_cond_t ctl_cond;          /* status changes, step credits, finish */
    _Atomic int32_t paused;
    int64_t step_credits;             /* guarded by ctl_lock */
    int stop_requested;               /* guarded by ctl_lock */
    int done_signalled;               /* guarded by ctl_lock */
    pthread_t supervisor, driver;
    int started, joined;
    uint64_t det_rng;                 /* det: which worker steps next */
    _Atomic int64_t det_steps;        /* det: steps finished (supervisor's watchdog) */
} jrt_runtime;

static inline int64_t jrt_vclock_get(jrt_runtime *rt)
{
    return atomic_load_explicit(&rt->vclock, memory_order_relaxed);
}
static inline void jrt_vclock_set(jrt_runtime *rt, int64_t v)
{
    atomic_store_explicit(&rt->vclock, v, memory_order_relaxed);
}
static inline void jrt_vclock_add(jrt_runtime *rt, int64_t d)
{
    jrt_vclock_set(rt, jrt_vclock_get(rt) + d);  /* single writer: the driver */
}
static inline int64_t jrt_clock(jrt_runtime *rt)
{
    return rt->det ? jrt_vclock_get(rt) : jrt_mono_ns() - rt->t0;
}

/* Allocate the next task / nursery id (dense in det mode, blocks per worker live). */
int64_t jrt_alloc_task_id_slow(jrt_runtime *rt, jrt_worker *w);
static inline int64_t jrt_alloc_task_id(jrt_runtime *rt, jrt_worker *w)
{
    if (JRT_LIKELY(!rt->det && w->task_id_next < w->task_id_end)) return w->task_id_next++;
    return jrt_alloc_task_id_slow(rt, w);
}
int64_t jrt_alloc_nursery_id(jrt_runtime *rt, jrt_worker *w);

/* Inject queue. */
void jrt_inject_push(jrt_runtime *rt, jrt_task *t);
/* Append an already linked list first..last (n tasks, linked through ->next). */
void jrt_inject_push_list(jrt_runtime *rt, jrt_task *first, jrt_task *last, int64_t n);
jrt_task *jrt_inject_pop(jrt_runtime *rt);

/* Wake an idle worker if work was just made visible (live mode). */
void jrt_notify_work_slow(jrt_runtime *rt);
static inline void jrt_notify_work(jrt_runtime *rt)
{
    if (!rt->det) jrt_notify_work_slow(rt);  /* det: no threads to wake */
}
/* The same, called by worker w (NULL: not a worker) about work it just queued. A single
 * live worker that is itself running has nobody to wake (and the fence in the slow
 * path is the most expensive part of a spawn). */
static inline void jrt_notify_work_from(jrt_runtime *rt, struct jrt_worker *w)
{
    if (!rt->det && (rt->nworkers > 1 || !w)) jrt_notify_work_slow(rt);
}
/* The root nursery emptied: end the run. */
void jrt_run_finished(jrt_runtime *rt, jrt_worker *w);

/* control.c */
void jrt_gate_pass(jrt_runtime *rt);          /* pause / single-step gate */
int jrt_control_install_signals(void);
void jrt_signals_thread_init(jrt_worker *w);  /* alt stack for the worker thread */
void jrt_signals_thread_fini(jrt_worker *w);
void *jrt_supervisor_main(void *arg);
void jrt_request_stop(jrt_runtime *rt, const char *why, int result);
void jrt_deliver_stop(jrt_runtime *rt);       /* cancel everything; idempotent */
int jrt_stop_requested(jrt_runtime *rt);      /* a stop was requested (any thread) */

/* scheduler.c: threads, det driver */
int jrt_start_workers(jrt_runtime *rt);
void jrt_join_workers(jrt_runtime *rt);
void *jrt_driver_main(void *arg);

/* task.c: first entry of every fiber */
void jrt_fiber_entry(void *task);
jrt_task *jrt_task_create(jrt_runtime *rt, jrt_worker *w, jrt_task_fn fn, void *arg,
                          uint32_t func_id);
void jrt_task_retire(jrt_worker *w, jrt_task *t);
void jrt_task_finish_unrun(jrt_worker *w, jrt_task *t);

#endif
