/*
 * worker.h — one worker: an OS thread in live mode, a slot the driver thread steps in
 * deterministic mode. Everything in here is owned by the thread currently acting as
 * this worker unless marked otherwise.
 */
#ifndef JRT_WORKER_H
#define JRT_WORKER_H

#include <pthread.h>
#include <stdint.h>

#include "deque.h"
#include "events.h"
#include "fiber.h"
#include "objcache.h"
#include "stack_pool.h"
#include "task.h"
#include "timer.h"

/* Why a fiber switched back to its worker (set by the fiber just before the switch;
 * acted on by the worker right after it, on the worker's own stack). */
enum {
    JRT_OUT_NONE = 0,
    JRT_OUT_YIELD,    /* runnable: task_yield, to the back (inject queue) */
    JRT_OUT_BLOCK,    /* waiting: commit the wait described by out_arg */
    JRT_OUT_DONE,     /* body finished: retire */
    JRT_OUT_CALL,     /* run out_fn(out_arg) on this stack, then resume the same fiber */
    JRT_OUT_ABANDON   /* pulled off by the abandon signal: drop the task, exit */
};

typedef struct jrt_worker {
    struct jrt_runtime *rt;
    int32_t id;
    jrt_ctx sched_ctx;              /* the worker's own (thread-stack) context */
    jrt_task *current;              /* RUNNING task, or NULL */
    jrt_task *runnext;              /* woken-by-me task to run next (owner only) */
    /* switch-out request from the current fiber */
    int32_t out;
    int32_t out_reason;             /* JRT_YIELD_* for OUT_YIELD */
    void (*out_fn)(void *);
    void *out_arg;
    /* queues and pools */
    jrt_deque deque;                /* shared with thieves (its own synchronisation) */
    jrt_stack_cache stacks;
    jrt_obj_cache task_cache, nursery_cache;
    jrt_timer_heap timers;
    uint64_t rng;                   /* steal victims, colouring, jrt_random */
    uint32_t tick;                  /* schedules so far: check inject every 61 */
    /* id blocks (live mode) */
    int64_t task_id_next, task_id_end;
    int64_t nursery_id_next, nursery_id_end;
    /* events */
    jrt_ring *ring;
    /* stats (owner writes, anyone reads racily) */
    _Atomic int64_t switches, steals, spawned, finished;
    int64_t others_live, peak_seen; /* owner only: see note_spawn (task.c) */
    _Atomic int32_t deciding;       /* in a first-run or DONE decision (events on; nursery.c) */
    /* thread */
    pthread_t thread;
    int parked;                     /* det mode: park state for events */
    void *stack_lo;                 /* thread stack, for ASan */
    size_t stack_size;
    void *asan_fake;
    void *tsan_fiber;
    void *altstack;
} jrt_worker;

/* End of a first-run or DONE decision (see jrt_decision_enter, nursery.c). */
static inline void jrt_decision_leave(jrt_worker *w)
{
    atomic_store_explicit(&w->deciding, 0, memory_order_release);
}

/* The worker the calling thread is acting as (NULL off the workers). Not inlined, and
 * never cache its result across a switch: a fiber may resume on another worker. */
jrt_worker *jrt_worker_self(void);
void jrt_worker_set_self(jrt_worker *w);

int jrt_worker_init(struct jrt_runtime *rt, jrt_worker *w, int id);
void jrt_worker_destroy(jrt_worker *w);
/* Find one task and run it until it switches out. false: no work found. */
int jrt_worker_step(jrt_worker *w);
/* Live-mode thread body. */
void *jrt_worker_main(void *arg);
/* Work anywhere that this worker could take right now (det eligibility, park check). */
int jrt_worker_has_work(jrt_worker *w, int64_t now);

/* Fiber side: switch from the current task back to its worker. Returns when the task
 * is switched in again (possibly on another worker: re-read t->worker after). */
void jrt_fiber_switch_out(jrt_task *t, int out);
/* Fiber side: the body has finished (outcome stored): leave for good, JRT_OUT_DONE. */
__attribute__((noreturn)) void jrt_fiber_exit(jrt_task *t);
/* Place a runnable task: on w's runnext slot, its deque top, or the inject queue. */
enum { JRT_PLACE_RUNNEXT = 0, JRT_PLACE_TOP = 1, JRT_PLACE_INJECT = 2 };
void jrt_place(struct jrt_runtime *rt, jrt_worker *w, jrt_task *t, int where);
/* End a wait if it is still the one identified by token; emits task_wake, places the
 * task (w NULL: inject). Returns 1 if this call woke it. */
int jrt_wake(struct jrt_runtime *rt, jrt_worker *w, jrt_task *t, uint32_t token, int64_t by,
             int where);

#endif
