/*
 * scheduler.c — CBC-MN: the run, its workers, and how work moves between them.
 *
 * DESIGN
 *
 * A run is N workers executing stackful fibers. Each worker owns a fixed-size Chase-Lev
 * deque (deque.h), a one-task "runnext" slot, a fiber-stack cache, object caches, a
 * timer heap and an event ring. One shared, intrusive FIFO — the inject queue — takes
 * what does not belong to a particular worker: deque overflow, tasks yielding their
 * budget (they go to the back of the line), and tasks woken by a non-worker thread.
 *
 * Where work goes. A spawned child is pushed on the top of the spawner's deque (LIFO:
 * depth-first, a fan-out tree stays narrow in memory and warm in cache). A task woken by
 * the running task (the last child waking its joining parent, a finished task waking its
 * awaiter) goes to runnext and runs as soon as the waker switches out; the previous
 * runnext is pushed on the deque. Timer wake-ups go on the deque top. Yields go to the
 * inject queue.
 *
 * Where work comes from, in order: due timers; every 61st time the inject queue first
 * (fairness for yielded tasks); runnext; own deque top; inject queue; steal. A thief
 * picks a random victim, scans all others from there, and takes half of the first
 * non-empty deque it finds from the bottom (the oldest tasks: the biggest subtrees).
 *
 * Idle workers spin briefly, then park on a futex (an epoch word). Making work visible
 * is followed by a seq_cst fence and a look at the idle count; a parker increments the
 * idle count and re-checks every queue before sleeping (Dekker: one of them sees the
 * other, so a wake-up is never lost). At most one wake-up is in flight (`nspinning`); a
 * worker that steals and leaves work behind wakes the next one, so parallelism ramps up
 * one worker at a time instead of as a thundering herd. A parked worker with timers
 * sleeps until its earliest deadline.
 *
 * A task switches back to its worker's own context for anything that changes where it
 * is queued: yield, block, finish. The worker then completes the transition on its own
 * stack (emit the event, register the wait, free the stack). So a task is never visible
 * on a wait list while its registers are still being saved, and a fiber never frees
 * the stack it runs on. That costs a second switch per hand-off; see the rejected
 * designs.
 *
 * Deterministic mode runs the same code on one OS thread (the driver): at each step it
 * lists the workers that could do something (own work, inject, a stealable deque, a due
 * timer), picks one with the seeded generator and runs one jrt_worker_step for it.
 * Virtual time advances by switch_ns per task switch-in and op_ns per charged op; when
 * no worker can do anything it jumps to the earliest timer. Ids are dense, rings never
 * drop, and nothing depends on the OS scheduler, so a seed replays byte for byte.
 * Stops are part of that: the driver itself delivers a stop between two steps (the
 * supervisor thread never touches a deterministic run's tasks, except to pull the
 * driver off a task that never switches out), and the grace period is virtual time.
 *
 * REJECTED DESIGNS
 *
 * - Direct fiber-to-fiber switches (the finishing task picks its successor and jumps to
 *   it, as in libdill): saves one switch per hand-off, but the scheduling code then runs
 *   on a fiber stack of 8 KB that it must also free, and wake-ups can race with the
 *   register save. We keep the worker-context design (Go's g0) and make the switch cheap.
 * - One global run queue with a lock (simple, fair): collapses under fan-out; every
 *   spawn and every pick contends on one cache line.
 * - Go's runq (owner and thieves both CAS the head): simpler steal-half, but an atomic
 *   RMW on every owner pop. Chase-Lev's owner end is plain stores plus one seq_cst store.
 * - A bounded ring for the inject queue: it can fill up, and then a wake-up from a
 *   non-worker thread has nowhere to go. The intrusive list cannot fill (a task is on at
 *   most one queue), and its lock is off the hot path.
 * - Preemption by signals for budgets: unsafe in the middle of VM code that holds
 *   references; the VM charges ops and yields cooperatively instead. Signals are used
 *   only to abandon a task that ignored a stop for a whole grace period.
 * - One stack mapping per fiber (mmap + mprotect guard each): two kernel mappings per
 *   fiber hit vm.max_map_count at ~32k fibers. Slabs + MADV_GUARD_INSTALL (stack_pool.h).
 */
#include "scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

JRT_API void jrt_config_init(jrt_config *c)
{
    memset(c, 0, sizeof *c);
    c->workers = 2;
    c->mode = JRT_MODE_LIVE;
    c->seed = 1;
    c->quantum = 1000;
    c->stack_kb = 8;
    c->max_tasks_per_nursery = 1000000;
    c->max_total_tasks = 2000000;
    c->task_memory = 16 << 20;
    c->max_run_ms = 0;
    c->events = JRT_EVENTS_ON;
    c->line_events = 0;
    c->ring_kb = 1024;
    c->op_ns = 10;
    c->switch_ns = 100;
    c->grace_ms = 50;
}

JRT_API int64_t jrt_config_size(void) { return (int64_t)sizeof(jrt_config); }

/* --- ids ------------------------------------------------------------------------------ */

static int64_t alloc_id(jrt_runtime *rt, _Atomic int64_t *counter, int64_t *next, int64_t *end,
                        int64_t limit)
{
    if (rt->det) {  /* one thread: dense ids in creation order */
        int64_t id = atomic_load_explicit(counter, memory_order_relaxed);
        if (id >= limit) return -1;
        atomic_store_explicit(counter, id + 1, memory_order_relaxed);
        return id;
    }
    if (*next >= *end) {
        /* Near the limit, one id at a time so the limit is exact; else a block. */
        if (limit - atomic_load_explicit(counter, memory_order_relaxed) <
            (int64_t)JRT_ID_BLOCK * 4 * rt->nworkers) {
            int64_t id = atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
            return id < limit ? id : -1;
        }
        int64_t start = atomic_fetch_add_explicit(counter, JRT_ID_BLOCK, memory_order_relaxed);
        if (start >= limit) return -1;
        *next = start;
        *end = start + JRT_ID_BLOCK < limit ? start + JRT_ID_BLOCK : limit;
    }
    return (*next)++;
}

int64_t jrt_alloc_task_id_slow(jrt_runtime *rt, jrt_worker *w)
{
    return alloc_id(rt, &rt->next_task_id, &w->task_id_next, &w->task_id_end,
                    rt->cfg.max_total_tasks);
}

int64_t jrt_alloc_nursery_id(jrt_runtime *rt, jrt_worker *w)
{
    return alloc_id(rt, &rt->next_nursery_id, &w->nursery_id_next, &w->nursery_id_end,
                    INT64_MAX / 2);
}

/* --- inject queue --------------------------------------------------------------------- */

void jrt_inject_push(jrt_runtime *rt, jrt_task *t)
{
    jrt_inject *q = &rt->inject;
    t->next = NULL;
    jrt_spin_lock(&q->lock);
    if (q->tail) q->tail->next = t;
    else q->head = t;
    q->tail = t;
    atomic_fetch_add_explicit(&q->n, 1, memory_order_seq_cst);
    jrt_spin_unlock(&q->lock);
}

void jrt_inject_push_list(jrt_runtime *rt, jrt_task *first, jrt_task *last, int64_t n)
{
    jrt_inject *q = &rt->inject;
    last->next = NULL;
    jrt_spin_lock(&q->lock);
    if (q->tail) q->tail->next = first;
    else q->head = first;
    q->tail = last;
    atomic_fetch_add_explicit(&q->n, n, memory_order_seq_cst);
    jrt_spin_unlock(&q->lock);
}

jrt_task *jrt_inject_pop(jrt_runtime *rt)
{
    jrt_inject *q = &rt->inject;
    jrt_spin_lock(&q->lock);
    jrt_task *t = q->head;
    if (t) {
        q->head = t->next;
        if (!q->head) q->tail = NULL;
        atomic_fetch_sub_explicit(&q->n, 1, memory_order_relaxed);
    }
    jrt_spin_unlock(&q->lock);
    return t;
}

/* --- parking ---------------------------------------------------------------------------- */

void jrt_notify_work_slow(jrt_runtime *rt)
{
    atomic_thread_fence(memory_order_seq_cst);  /* pairs with the parker's nidle++ */
    if (atomic_load_explicit(&rt->nidle, memory_order_relaxed) > 0 &&
        !atomic_exchange_explicit(&rt->nspinning, 1, memory_order_acq_rel)) {
        atomic_fetch_add_explicit(&rt->park_epoch, 1, memory_order_seq_cst);
        jrt_futex_wake(&rt->park_epoch, 1);
    }
}

static void wake_all(jrt_runtime *rt)
{
    atomic_fetch_add_explicit(&rt->park_epoch, 1, memory_order_seq_cst);
    jrt_futex_wake(&rt->park_epoch, INT32_MAX);
}

/* --- run end ---------------------------------------------------------------------------- */

void jrt_run_finished(jrt_runtime *rt, jrt_worker *w)
{
    jrt_task *root = rt->root_task;
    int kind = root->outcome;
    const char *text = kind == JRT_OUTCOME_ERROR ? root->u.end.text : NULL;
    JRT_EMIT_TEXT(rt, w, JRT_EV_NURSERY_CLOSE, rt->root_nursery->id, kind, 0, 0, 0, text,
                  text ? strlen(text) : 0);
    rt->root_outcome.kind = kind;
    rt->root_outcome.value = kind == JRT_OUTCOME_OK ? root->u.end.value : 0;
    rt->root_outcome.error = kind == JRT_OUTCOME_ERROR ? (void *)(uintptr_t)root->u.end.value : NULL;
    rt->root_outcome.text = text;
    pthread_mutex_lock(&rt->ctl_lock);
    if (rt->result == JRT_RESULT_NONE) {
        if (kind == JRT_OUTCOME_OK) rt->result = JRT_RESULT_OK;
        else if (kind == JRT_OUTCOME_ERROR) {
            rt->result = JRT_RESULT_ERROR;
            snprintf(rt->result_text, sizeof rt->result_text, "%s", text ? text : "error");
        } else {
            rt->result = JRT_RESULT_ABORTED;
            snprintf(rt->result_text, sizeof rt->result_text, "main was cancelled");
        }
    }
    atomic_store_explicit(&rt->finished, 1, memory_order_release);
    pthread_cond_broadcast(&rt->ctl_cond);
    pthread_mutex_unlock(&rt->ctl_lock);
    wake_all(rt);
}

/* --- deterministic driver ------------------------------------------------------------- */

static int64_t next_deadline(jrt_runtime *rt)
{
    int64_t d = INT64_MAX;
    for (int i = 0; i < rt->nworkers; i++) {
        int64_t x = jrt_timer_next(&rt->workers[i].timers);
        if (x < d) d = x;
    }
    return d;
}

void *jrt_driver_main(void *arg)
{
    jrt_runtime *rt = arg;
    jrt_worker *elig[JRT_MAX_WORKERS];
    void *lo = NULL;
    size_t size = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &lo, &size);
        pthread_attr_destroy(&attr);
    }
    for (int i = 0; i < rt->nworkers; i++) {
        jrt_worker *w = &rt->workers[i];
        w->stack_lo = lo;
        w->stack_size = size;
#ifdef JRT_SANITIZE_THREAD
        w->tsan_fiber = __tsan_get_current_fiber();
#endif
    }
    jrt_signals_thread_init(&rt->workers[0]);
    /* Stops are delivered and timed here, between steps, in virtual time: where a stop
     * lands in the trace depends only on the program and the seed (max_run_ms), and the
     * grace period is grace_ms of virtual time, after which the driver simply stops
     * stepping (every task is suspended at that point; they are reclaimed with the
     * runtime). Only a stop from outside (jrt_stop) lands at a step chosen by timing. */
    int64_t stop_v = -1;  /* virtual time the stop was delivered at */
    while (!atomic_load(&rt->finished) && !atomic_load(&rt->abandon)) {
        if (JRT_UNLIKELY(stop_v < 0 && jrt_stop_requested(rt))) {
            jrt_deliver_stop(rt);
            stop_v = jrt_vclock_get(rt);
            continue;  /* the cancellation changed who can run */
        }
        if (stop_v >= 0 && jrt_vclock_get(rt) - stop_v > rt->cfg.grace_ms * 1000000) {
            atomic_store(&rt->abandon, 1);  /* grace over: some task never checks */
            break;
        }
        int n = 0;
        for (int i = 0; i < rt->nworkers; i++) {
            jrt_worker *w = &rt->workers[i];
            if (jrt_worker_has_work(w, jrt_vclock_get(rt))) elig[n++] = w;
            else if (!w->parked) {
                w->parked = 1;
                JRT_EMIT(rt, w, JRT_EV_WORKER_PARK, 0, 0, 0, 0, 0);
            }
        }
        if (n == 0) {
            int64_t d = next_deadline(rt);
            if (d == INT64_MAX) {
                /* Nothing can ever run again: a deadlock (tasks awaiting each other), or
                 * a stop whose cancellation woke nobody. */
                if (stop_v < 0) {
                    jrt_request_stop(rt, "deadlock: every task is waiting and no timer is set",
                                     JRT_RESULT_ERROR);
                    continue;
                }
                atomic_store(&rt->abandon, 1);
                break;
            }
            if (d > jrt_vclock_get(rt)) jrt_vclock_set(rt, d);
            continue;
        }
        if (rt->cfg.max_run_ms > 0 && stop_v < 0 &&
            jrt_vclock_get(rt) > rt->cfg.max_run_ms * 1000000) {
            jrt_request_stop(rt, "max_run_ms exceeded", JRT_RESULT_ABORTED);
            continue;  /* delivered at the top; then the tasks unwind */
        }
        jrt_worker *w = elig[jrt_rng_below(&rt->det_rng, (uint64_t)n)];
        if (w->parked) {
            w->parked = 0;
            JRT_EMIT(rt, w, JRT_EV_WORKER_UNPARK, 0, 0, 0, 0, 0);
        }
        jrt_worker_set_self(w);
        jrt_worker_step(w);
        jrt_worker_set_self(NULL);
        atomic_store_explicit(&rt->det_steps,
                              atomic_load_explicit(&rt->det_steps, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    }
    if (atomic_load(&rt->abandon)) {  /* tell the supervisor now rather than at its next poll */
        pthread_mutex_lock(&rt->ctl_lock);
        pthread_cond_broadcast(&rt->ctl_cond);
        pthread_mutex_unlock(&rt->ctl_lock);
    }
    jrt_signals_thread_fini(&rt->workers[0]);
    return NULL;
}

/* --- create / start / destroy ------------------------------------------------------ */

JRT_API jrt_runtime *jrt_create(const jrt_config *cfg)
{
    jrt_config c;
    if (cfg) c = *cfg;
    else jrt_config_init(&c);
    if (c.workers < 1 || c.workers > JRT_MAX_WORKERS) return NULL;
    if (c.stack_kb < 4 || c.stack_kb > 1024) return NULL;
#ifdef JRT_SANITIZED
    if (c.stack_kb < 64) c.stack_kb = 64;  /* instrumented frames are much larger */
#endif
    if (c.ring_kb < 64) c.ring_kb = 64;
    while (c.ring_kb & (c.ring_kb - 1)) c.ring_kb++;  /* round up to a power of two */
    if (c.quantum < 1) c.quantum = 1;
    if (c.max_total_tasks < 1) c.max_total_tasks = 1;
    if (c.max_tasks_per_nursery < 1) c.max_tasks_per_nursery = 1;

    jrt_runtime *rt = aligned_alloc(64, (sizeof(jrt_runtime) + 63) & ~(size_t)63);
    if (!rt) return NULL;
    memset(rt, 0, sizeof *rt);
    rt->cfg = c;
    rt->nworkers = (int)c.workers;
    rt->det = c.mode == JRT_MODE_DETERMINISTIC;
    rt->events_on = c.events == JRT_EVENTS_ON;
    rt->output_on = c.events != JRT_EVENTS_OFF;
    rt->line_events = c.line_events != 0;
    rt->result = JRT_RESULT_NONE;
    uint64_t s = (uint64_t)c.seed;
    rt->det_rng = jrt_splitmix64(&s) | 1;
    pthread_mutex_init(&rt->ctl_lock, NULL);
    pthread_cond_init(&rt->ctl_cond, NULL);
    jrt_obj_pool_init(&rt->task_pool, sizeof(jrt_task));
    jrt_obj_pool_init(&rt->nursery_pool, sizeof(jrt_nursery));
    jrt_stack_pool_init(&rt->stacks, (size_t)c.stack_kb * 1024, (uint64_t)c.seed ^ (uint64_t)jrt_mono_ns());
    if (jrt_events_init(rt) != 0) goto fail;
    size_t wbytes = (sizeof(jrt_worker) + 63) & ~(size_t)63;
    rt->workers = aligned_alloc(64, wbytes * (size_t)rt->nworkers);
    if (!rt->workers) goto fail;
    for (int i = 0; i < rt->nworkers; i++) jrt_worker_init(rt, &rt->workers[i], i);
    jrt_control_install_signals();
    return rt;
fail:
    jrt_events_destroy(rt);
    free(rt);
    return NULL;
}

JRT_API void jrt_set_drop_hooks(jrt_runtime *rt, jrt_value_drop_fn drop_value,
                                jrt_error_drop_fn drop_error)
{
    rt->drop_value = drop_value;
    rt->drop_error = drop_error;
}
JRT_API void jrt_set_error_retain_hook(jrt_runtime *rt, void (*retain_error)(void *))
{
    rt->retain_error = retain_error;
}
JRT_API void jrt_set_arg_drop_hook(jrt_runtime *rt, void (*drop_arg)(jrt_task_fn fn, void *arg))
{
    rt->drop_arg = drop_arg;
}
JRT_API void jrt_set_user_data(jrt_runtime *rt, void *data) { rt->user = data; }
JRT_API void *jrt_user_data(jrt_runtime *rt) { return rt->user; }

JRT_API int jrt_start(jrt_runtime *rt, jrt_task_fn fn, void *arg, uint32_t func_id)
{
    if (!rt || !fn) return JRT_EINVAL;
    pthread_mutex_lock(&rt->ctl_lock);
    if (rt->started) { pthread_mutex_unlock(&rt->ctl_lock); return JRT_ESTATE; }
    rt->started = 1;
    pthread_mutex_unlock(&rt->ctl_lock);

    rt->tsc0 = rt->det || !rt->events_on ? 0 : jrt_event_tsc_start();
    rt->t0 = jrt_mono_ns();
    /* A pause requested before the start holds from the first worker event on; the
     * run's opening events below are not gated. */
    int paused = atomic_exchange(&rt->paused, 0);
    JRT_EMIT_OUTPUT(rt, (jrt_worker *)NULL, JRT_EV_RUN_START, rt->nworkers, rt->det ? 1 : 0,
             rt->cfg.seed, 0, 0);
    jrt_worker *w0 = &rt->workers[0];
    rt->root_nursery = jrt_nursery_create(rt, w0, NULL, 0);
    jrt_task *t = jrt_task_create(rt, w0, fn, arg, func_id);
    if (!rt->root_nursery || !t) return JRT_ENOMEM;
    t->id = jrt_alloc_task_id(rt, w0);
    if (!rt->det) {
        /* main and the root nursery take one id each, not a block of W0's: the first worker
         * to spawn then starts at 1, whichever worker main runs on (a run whose main ran on
         * W1 numbered its tasks from 256: "leaf#256" for the first of them). No worker can
         * allocate yet: there is no task to run until main is pushed below. */
        atomic_store_explicit(&rt->next_task_id, t->id + 1, memory_order_relaxed);
        atomic_store_explicit(&rt->next_nursery_id, rt->root_nursery->id + 1, memory_order_relaxed);
        w0->task_id_next = w0->task_id_end = 0;
        w0->nursery_id_next = w0->nursery_id_end = 0;
    }
    t->nursery = rt->root_nursery;
    rt->root_nursery->children = t;
    atomic_store(&rt->root_nursery->live, 1);
    atomic_store(&t->refs, 2);  /* the runtime keeps main's outcome until destroy */
    rt->root_task = t;
    JRT_EMIT(rt, (jrt_worker *)NULL, JRT_EV_TASK_SPAWN, t->id, -1, rt->root_nursery->id,
             (int32_t)func_id, 0);
    JRT_EMIT(rt, (jrt_worker *)NULL, JRT_EV_TASK_PUSH, t->id, -1, JRT_POS_BOTTOM, 0, 0);
    jrt_inject_push(rt, t);
    pthread_mutex_lock(&rt->ctl_lock);
    atomic_store(&rt->paused, paused);
    atomic_store(&rt->status, paused ? JRT_STATUS_PAUSED : JRT_STATUS_RUNNING);
    pthread_mutex_unlock(&rt->ctl_lock);

    if (pthread_create(&rt->supervisor, NULL, jrt_supervisor_main, rt) != 0) return JRT_ENOMEM;
    return JRT_OK;
}

/* Called by the supervisor: start the threads that execute tasks. */
int jrt_start_workers(jrt_runtime *rt)
{
    if (rt->det) return pthread_create(&rt->driver, NULL, jrt_driver_main, rt);
    for (int i = 0; i < rt->nworkers; i++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 8 << 20);
        int rc = pthread_create(&rt->workers[i].thread, &attr, jrt_worker_main, &rt->workers[i]);
        pthread_attr_destroy(&attr);
        if (rc != 0) return rc;
    }
    return 0;
}

void jrt_join_workers(jrt_runtime *rt)
{
    if (rt->det) { pthread_join(rt->driver, NULL); return; }
    for (int i = 0; i < rt->nworkers; i++) pthread_join(rt->workers[i].thread, NULL);
}

JRT_API void jrt_destroy(jrt_runtime *rt)
{
    if (!rt) return;
    if (rt->started) {
        jrt_wait(rt, -1);
        if (!rt->joined) { pthread_join(rt->supervisor, NULL); rt->joined = 1; }
    }
    if (rt->root_task && atomic_load(&rt->root_task->state) == JRT_TASK_DONE)
        jrt_task_unref(rt->root_task);
    if (rt->root_nursery) jrt_nursery_unref(rt->root_nursery);  /* drops a failed main */
    for (int i = 0; i < rt->nworkers; i++) jrt_worker_destroy(&rt->workers[i]);
    jrt_stack_pool_destroy(&rt->stacks);
    jrt_obj_pool_destroy(&rt->task_pool);
    jrt_obj_pool_destroy(&rt->nursery_pool);
    jrt_events_destroy(rt);
    free(rt->workers);
    pthread_mutex_destroy(&rt->ctl_lock);
    pthread_cond_destroy(&rt->ctl_cond);
    free(rt);
}
