/*
 * task.c — task life cycle (create, first entry, retire, free) and the task-side API:
 * spawn, await, await_any, sleep, yield, cancellation polls, budgets, VM events.
 *
 * Every blocking call follows the same three steps, which is what makes a wake-up that
 * races the switch-out harmless:
 *   1. on the fiber: check for cancellation (checkpoint), describe the wait in a small
 *      request on the fiber's own stack, switch out with JRT_OUT_BLOCK;
 *   2. on the worker stack, after the fiber's registers are saved: emit task_block,
 *      publish a new wait token, register on the wait list (target task, timer heap,
 *      nursery's join slot), then re-check cancellation — any waker may now win;
 *   3. back on the fiber once woken: unregister leftovers, check cancellation again.
 */
#include <stdlib.h>
#include <string.h>

#include "nursery.h"
#include "scheduler.h"
#include "task.h"
#include "worker.h"

_Static_assert(sizeof(jrt_task) <= 128, "task control block must fit in 128 bytes");

#define DONE_TEXT_MAX 256

/* --- life cycle ------------------------------------------------------------------------ */

jrt_task *jrt_task_create(jrt_runtime *rt, jrt_worker *w, jrt_task_fn fn, void *arg,
                          uint32_t func_id)
{
    jrt_task *t = jrt_obj_alloc(&rt->task_pool, &w->task_cache);
    if (!t) return NULL;
    t->next = NULL;
    t->stack = NULL;
    t->worker = w;
    t->nursery = NULL;
    t->own = NULL;
    t->sib_prev = t->sib_next = NULL;
    t->u.start.fn = fn;
    t->u.start.arg = arg;
    t->waiters = NULL;
    t->id = -1;
    t->mem = 0;
    atomic_init(&t->wait_token, 0);
    atomic_init(&t->refs, 1);
    t->func_id = func_id;
    t->line = 0;
    t->ops = 0;
    atomic_init(&t->state, JRT_TASK_NEW);
    atomic_init(&t->cancel, 0);
    t->outcome = JRT_OUTCOME_OK;
    t->block_on = 0;
    atomic_init(&t->wlock.v, 0);
    return t;
}

/* self: the worker the caller is acting as, or NULL off the workers / unknown. */
static void free_tcb(jrt_task *t, jrt_worker *self)
{
    jrt_runtime *rt = t->worker->rt;
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == JRT_TASK_DONE) {
        if (t->outcome == JRT_OUTCOME_OK && rt->drop_value) rt->drop_value(t->u.end.value);
        if (t->outcome == JRT_OUTCOME_ERROR) {
            if (rt->drop_error && t->u.end.value) rt->drop_error((void *)(uintptr_t)t->u.end.value);
            free(t->u.end.text);
        }
    }
    jrt_obj_free(&rt->task_pool, self && self->rt == rt ? &self->task_cache : NULL, t);
}

void jrt_task_unref(jrt_task *t)
{
    /* refs == 1 means we hold the only reference: nobody can add one concurrently. */
    if (atomic_load_explicit(&t->refs, memory_order_acquire) == 1 ||
        atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
        free_tcb(t, jrt_worker_self());
}

/* The same, from code known to run as worker w (its own stack): no TLS lookup. */
static inline void task_unref_on(jrt_worker *w, jrt_task *t)
{
    if (atomic_load_explicit(&t->refs, memory_order_acquire) == 1 ||
        atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
        free_tcb(t, w);
}

/* Mark DONE, emit task_done, wake the awaiters (all under wlock so the DONE decision is
 * ordered with cancellations and registrations), tell the nursery, drop the runtime's
 * reference. Worker stack. */
static void finish(jrt_worker *w, jrt_task *t, const char *text, size_t len)
{
    jrt_runtime *rt = w->rt;
    int section = rt->events_on && !rt->det;  /* no cancel walk overlaps (nursery.c) */
    if (section) jrt_decision_enter(rt, w);
    jrt_spin_lock(&t->wlock);
    atomic_store_explicit(&t->state, JRT_TASK_DONE, memory_order_release);
    uint64_t done_seq = JRT_NO_SEQ;
    if (JRT_UNLIKELY(rt->events_on))
        done_seq = jrt_emit_slow(rt, w, JRT_EV_TASK_DONE, t->id, t->outcome,
                                 (atomic_load(&t->cancel) & JRT_CANCEL_REQUESTED) ? 1 : 0, 0, 0,
                                 text, len);
    for (jrt_waiter *n = t->waiters; n; n = n->next) {
        n->linked = 0;
        jrt_wake(rt, w, n->task, n->token, t->id, JRT_PLACE_RUNNEXT);
    }
    t->waiters = NULL;
    jrt_spin_unlock(&t->wlock);
    if (section) jrt_decision_leave(w);
    /* Owner-written stat: a plain increment, not an atomic RMW. */
    atomic_store_explicit(&w->finished, atomic_load_explicit(&w->finished, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    jrt_nursery_child_done(w, t, done_seq);
    task_unref_on(w, t);
}

/* The general exit; the common one is retire_lean in worker.c. */
void jrt_task_retire(jrt_worker *w, jrt_task *t)
{
    const char *text = NULL;
    size_t len = 0;
    if (t->outcome == JRT_OUTCOME_ERROR && t->u.end.text) {
        text = t->u.end.text;
        len = strlen(text);
    } else if (t->outcome == JRT_OUTCOME_OK && w->out_arg) {
        text = w->out_arg;  /* copy on the (still intact) fiber stack, see entry */
        len = strlen(text);
    }
    /* finish() may drop the last reference and free t (to a cache another worker may
     * reuse at once), so take the stack first; it goes back only after finish() copied
     * `text`, which may live on it. */
    jrt_stack *stack = t->stack;
    t->stack = NULL;
    finish(w, t, text, len);
    jrt_stack_give(&w->rt->stacks, &w->stacks, stack);
}

void jrt_task_finish_unrun(jrt_worker *w, jrt_task *t)
{
    /* The body never runs, so it cannot free its argument: the client's hook does. */
    if (w->rt->drop_arg) w->rt->drop_arg(t->u.start.fn, t->u.start.arg);
    t->outcome = JRT_OUTCOME_CANCELLED;
    t->u.end.value = 0;
    t->u.end.text = NULL;
    finish(w, t, NULL, 0);
}

static void set_text(char *dst, const char *src)
{
    dst[0] = 0;
    if (src) {
        strncpy(dst, src, DONE_TEXT_MAX - 1);
        dst[DONE_TEXT_MAX - 1] = 0;
    }
}

/* Leaving the body in the general case (an error, result text, nurseries still open).
 * The texts were already copied by jrt_fiber_entry in its own frame: the body may have
 * returned a pointer into its own (now dead) frame, which any deeper call overwrites.
 * Never returns. */
static JRT_NOINLINE void fiber_exit_slow(jrt_task *t, jrt_outcome out, char *ok_text,
                                         char *err_text)
{
    /* Leaving the body joins every nursery still open, innermost first (no orphans). */
    while (t->own) {
        jrt_nursery *n = t->own;
        if (out.kind == JRT_OUTCOME_CANCELLED)
            jrt_nursery_cancel_from_fiber(t, n, JRT_REASON_PARENT);
        jrt_outcome nout;
        jrt_nursery_join_impl(t, n, out.kind == JRT_OUTCOME_ERROR ? err_text : NULL, 1, &nout);
        if (out.kind == JRT_OUTCOME_OK && nout.kind == JRT_OUTCOME_ERROR) {
            jrt_runtime *rt = n->rt;
            if (rt->drop_value) rt->drop_value(out.value);
            out.kind = JRT_OUTCOME_ERROR;
            out.error = nout.error;
            if (out.error && rt->retain_error) rt->retain_error(out.error);
            err_text = strdup(nout.text ? nout.text : "error");
        }
        jrt_nursery_unref(n);  /* the runtime's reference (implicit or left open) */
    }

    t->outcome = (uint8_t)out.kind;
    if (out.kind == JRT_OUTCOME_OK) {
        t->u.end.value = out.value;
        t->u.end.text = NULL;
    } else if (out.kind == JRT_OUTCOME_ERROR) {
        t->u.end.value = (uint64_t)(uintptr_t)out.error;
        t->u.end.text = err_text;
    } else {
        t->u.end.value = 0;
        t->u.end.text = NULL;
    }
    jrt_worker *w = t->worker;
    w->out_arg = out.kind == JRT_OUTCOME_OK && ok_text[0] ? ok_text : NULL;
    jrt_fiber_exit(t);
}

/* The first (and only) C frame of every fiber. */
void jrt_fiber_entry(void *p)
{
    jrt_task *t = p;
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    jrt_outcome out = t->u.start.fn(t->u.start.arg);
    if (JRT_LIKELY(out.kind == JRT_OUTCOME_OK && !out.text && !t->own)) {
        /* Common exit: a value, no text, no nursery left open. */
        t->outcome = JRT_OUTCOME_OK;
        t->u.end.value = out.value;
        t->u.end.text = NULL;
        t->worker->out_arg = NULL;  /* t->worker: re-read, the body may have migrated */
        jrt_fiber_exit(t);
    }
    char ok_text[DONE_TEXT_MAX];  /* lives until the switch out: retire reads it */
    char *err_text = NULL;
    ok_text[0] = 0;
    if (out.kind == JRT_OUTCOME_OK) set_text(ok_text, out.text);
    else if (out.kind == JRT_OUTCOME_ERROR) err_text = strdup(out.text ? out.text : "error");
    fiber_exit_slow(t, out, ok_text, err_text);
}

/* --- helpers for the API ------------------------------------------------------------- */

static inline jrt_task *self_task(void)
{
    jrt_worker *w = jrt_worker_self();
    return w ? w->current : NULL;
}

/* Emit cancel_observe once per task. */
static void observe(jrt_task *t, int how)
{
    uint8_t c = atomic_fetch_or(&t->cancel, JRT_CANCEL_OBSERVED);
    if (!(c & JRT_CANCEL_OBSERVED)) {
        jrt_worker *w = t->worker;
        JRT_EMIT(w->rt, w, JRT_EV_CANCEL_OBSERVE, t->id, how, 0, 0, t->line);
    }
}

static inline int cancelled(jrt_task *t)
{
    return atomic_load_explicit(&t->cancel, memory_order_seq_cst) & JRT_CANCEL_REQUESTED;
}

static int checkpoint_cancel(jrt_task *t)
{
    if (JRT_UNLIKELY(cancelled(t))) {
        observe(t, JRT_HOW_CHECKPOINT);
        return JRT_ECANCELLED;
    }
    return JRT_OK;
}

/* A new wait generation with the given bits. */
static uint32_t publish_wait(jrt_task *t, uint32_t bits)
{
    uint32_t tok = (atomic_load_explicit(&t->wait_token, memory_order_relaxed) & ~JRT_WAIT_BITS) +
                   JRT_WAIT_GEN + bits;
    atomic_store_explicit(&t->wait_token, tok, memory_order_seq_cst);
    return tok;
}

static void block(jrt_task *t, int on, void (*commit)(void *), void *req)
{
    jrt_worker *w = t->worker;
    t->block_on = (uint8_t)on;
    atomic_store_explicit(&t->state, JRT_TASK_BLOCKED, memory_order_relaxed);
    w->out_fn = commit;
    w->out_arg = req;
    jrt_fiber_switch_out(t, JRT_OUT_BLOCK);
}

static void yield_task(jrt_task *t, int reason)
{
    jrt_worker *w = t->worker;
    w->out_reason = reason;
    atomic_store_explicit(&t->state, JRT_TASK_RUNNABLE, memory_order_relaxed);
    jrt_fiber_switch_out(t, JRT_OUT_YIELD);
}

/* --- spawn --------------------------------------------------------------------------- */

/* Peak of live tasks (JRT_STAT_PEAK_LIVE_TASKS) without a shared counter on the spawn
 * path. The live count is the root plus the sum over workers of spawned - finished
 * (owner-written counters; a worker's share may be negative: tasks finish where they
 * run). A new peak can only follow a spawn, so the spawner estimates the count with its
 * own share and a cached sum of the others', and only when that passes the peak it last
 * saw (or every 64 spawns, to refresh the cache) adds up the others' counters and raises
 * rt->peak_live. Exact with one worker, and in deterministic mode (one thread: it adds
 * up every spawn, the counters are in its own cache); live with several, a peak made of
 * other workers' spawns since this worker's last refresh is seen by those workers' own
 * checks, themselves up to 63 spawns stale, so a short spike may be under-counted. */
static JRT_NOINLINE void note_peak_slow(jrt_runtime *rt, jrt_worker *w, int64_t mine)
{
    int64_t others = 0;
    for (int i = 0; i < rt->nworkers; i++) {
        jrt_worker *o = &rt->workers[i];
        if (o != w)
            others += atomic_load_explicit(&o->spawned, memory_order_relaxed) -
                      atomic_load_explicit(&o->finished, memory_order_relaxed);
    }
    w->others_live = others;
    int64_t live = mine + others + 1;
    int64_t peak = atomic_load_explicit(&rt->peak_live, memory_order_relaxed);
    while (live > peak &&
           !atomic_compare_exchange_weak_explicit(&rt->peak_live, &peak, live,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
    w->peak_seen = live > peak ? live : peak;
}

static inline void note_spawn(jrt_runtime *rt, jrt_worker *w, int64_t spawned)
{
    int64_t mine = spawned - atomic_load_explicit(&w->finished, memory_order_relaxed);
    if (JRT_UNLIKELY(mine + w->others_live + 1 > w->peak_seen || !(spawned & 63) || rt->det))
        note_peak_slow(rt, w, mine);
}

JRT_API int jrt_spawn(jrt_nursery *n, jrt_task_fn fn, void *arg, uint32_t func_id,
                      jrt_task **handle)
{
    jrt_task *self = self_task();
    if (JRT_UNLIKELY(!self || !fn)) return self ? JRT_EINVAL : JRT_ESTATE;
    jrt_worker *w = self->worker;
    jrt_runtime *rt = w->rt;
    if (!n) {
        n = self->own;
        if (!n && !(n = jrt_nursery_create(rt, w, self, 1))) return JRT_ENOMEM;
    }
    /* jrt_task_create inlined, each field written once (the child-list links, nursery
     * and id are written under the lock below). */
    jrt_task *t = jrt_obj_alloc(&rt->task_pool, &w->task_cache);
    if (JRT_UNLIKELY(!t)) return JRT_ENOMEM;
    t->next = NULL;
    t->stack = NULL;
    t->worker = w;
    t->own = NULL;
    t->u.start.fn = fn;
    t->u.start.arg = arg;
    t->waiters = NULL;
    t->mem = 0;
    atomic_init(&t->wait_token, 0);
    atomic_init(&t->refs, handle ? 2 : 1);
    t->func_id = func_id;
    t->line = self->line;
    t->ops = 0;
    atomic_init(&t->state, JRT_TASK_NEW);
    atomic_init(&t->cancel, 0);
    t->outcome = JRT_OUTCOME_OK;
    t->block_on = 0;
    atomic_init(&t->wlock.v, 0);
    int64_t id = -1;

    /* One lock for the whole registration: the checks, the child list and the live
     * count (a plain increment under the lock, see nursery.h). */
    jrt_spin_lock(&n->lock);
    int rc = JRT_OK;
    int64_t live = atomic_load_explicit(&n->live, memory_order_relaxed);
    if (atomic_load_explicit(&n->cancelled, memory_order_relaxed) || n->state != JRT_NURSERY_OPEN)
        rc = JRT_ECANCELLED;
    else if (live >= rt->cfg.max_tasks_per_nursery)
        rc = JRT_ESPAWNLIMIT;
    else if ((id = jrt_alloc_task_id(rt, w)) < 0)
        rc = JRT_ETASKLIMIT;
    if (JRT_UNLIKELY(rc != JRT_OK)) {
        jrt_spin_unlock(&n->lock);
        jrt_obj_free(&rt->task_pool, &w->task_cache, t);
        return rc;
    }
    t->id = id;
    t->sib_prev = NULL;
    t->sib_next = n->children;
    if (n->children) n->children->sib_prev = t;
    n->children = t;
    t->nursery = n;
    atomic_store_explicit(&n->live, live + 1, memory_order_relaxed);
    /* Inside the lock: task_spawn precedes any cancel_request naming this task. */
    JRT_EMIT(rt, w, JRT_EV_TASK_SPAWN, id, self->id, n->id, (int32_t)func_id, self->line);
    jrt_spin_unlock(&n->lock);

    int64_t spawned = atomic_load_explicit(&w->spawned, memory_order_relaxed) + 1;
    atomic_store_explicit(&w->spawned, spawned, memory_order_relaxed);
    note_spawn(rt, w, spawned);
    if (handle) *handle = t;
    /* jrt_place(TOP) without the call when there is nothing to emit and room. */
    if (JRT_LIKELY(!rt->events_on) && JRT_LIKELY(jrt_deque_push(&w->deque, t)))
        jrt_notify_work_from(rt, w);
    else
        jrt_place(rt, w, t, JRT_PLACE_TOP);
    return JRT_OK;
}

JRT_API void jrt_task_retain(jrt_task *h) { jrt_task_ref(h); }
JRT_API void jrt_task_release(jrt_task *h)
{
    if (h) jrt_task_unref(h);
}
JRT_API int64_t jrt_task_id_of(const jrt_task *h) { return h->id; }
JRT_API int32_t jrt_task_is_done(const jrt_task *h)
{
    return atomic_load_explicit(&((jrt_task *)h)->state, memory_order_acquire) == JRT_TASK_DONE;
}

/* --- await ------------------------------------------------------------------------- */

typedef struct await_req {
    jrt_task *self;
    jrt_waiter *nodes;
    int32_t n;
    int64_t target;     /* for task_block: the task id, or -1 for await_any */
} await_req;

static void commit_await(void *p)
{
    /* Copy what we need: once the wait is published the task may run on another worker
     * and reuse the stack this request lives on. */
    await_req *r = p;
    jrt_task *t = r->self;
    jrt_waiter *nodes = r->nodes;
    int32_t n = r->n;
    jrt_worker *w = t->worker;
    jrt_runtime *rt = w->rt;
    JRT_EMIT(rt, w, JRT_EV_TASK_BLOCK, t->id, JRT_BLOCK_AWAIT, r->target, 0, t->line);
    uint32_t base = (atomic_load_explicit(&t->wait_token, memory_order_relaxed) & ~JRT_WAIT_BITS) +
                    JRT_WAIT_GEN;
    uint32_t tok = base | JRT_WAIT_WAITING | JRT_WAIT_CANCELLABLE;
    atomic_store_explicit(&t->wait_token, base | JRT_WAIT_REGISTERING, memory_order_seq_cst);
    int64_t done_by = -2;
    for (int32_t i = 0; i < n; i++) {
        jrt_waiter *node = &nodes[i];
        jrt_task *target = node->target;
        jrt_spin_lock(&target->wlock);
        if (atomic_load_explicit(&target->state, memory_order_relaxed) == JRT_TASK_DONE) {
            jrt_spin_unlock(&target->wlock);
            done_by = target->id;
            break;  /* later nodes stay unlinked */
        }
        node->task = t;
        node->token = tok;
        node->prev = NULL;
        node->next = target->waiters;
        if (target->waiters) target->waiters->prev = node;
        target->waiters = node;
        node->linked = 1;
        jrt_spin_unlock(&target->wlock);
    }
    /* Publish the wait. From here on: no access to nodes or r. */
    uint32_t expect = base | JRT_WAIT_REGISTERING;
    if (done_by != -2 ||
        !atomic_compare_exchange_strong_explicit(&t->wait_token, &expect, tok,
                                                 memory_order_seq_cst, memory_order_relaxed)) {
        /* A target was already done, or finished while we registered: run again. */
        atomic_store_explicit(&t->wait_token, base, memory_order_release);
        atomic_store_explicit(&t->state, JRT_TASK_RUNNABLE, memory_order_relaxed);
        JRT_EMIT(rt, w, JRT_EV_TASK_WAKE, t->id, done_by >= 0 ? done_by : -1, 0, 0, 0);
        jrt_place(rt, w, t, JRT_PLACE_RUNNEXT);
        return;
    }
    if (atomic_load_explicit(&t->cancel, memory_order_seq_cst) & JRT_CANCEL_REQUESTED)
        jrt_wake(rt, w, t, tok, -1, JRT_PLACE_RUNNEXT);
}

static void unlink_waiters(jrt_waiter *nodes, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        jrt_waiter *node = &nodes[i];
        jrt_task *target = node->target;
        jrt_spin_lock(&target->wlock);
        if (node->linked) {
            if (node->prev) node->prev->next = node->next;
            else target->waiters = node->next;
            if (node->next) node->next->prev = node->prev;
            node->linked = 0;
        }
        jrt_spin_unlock(&target->wlock);
    }
}

static void copy_outcome(const jrt_task *h, jrt_outcome *out)
{
    out->kind = h->outcome;
    out->reserved = 0;
    out->value = h->outcome == JRT_OUTCOME_OK ? h->u.end.value : 0;
    out->error = h->outcome == JRT_OUTCOME_ERROR ? (void *)(uintptr_t)h->u.end.value : NULL;
    out->text = h->outcome == JRT_OUTCOME_ERROR ? h->u.end.text : NULL;
}

static int wait_tasks(jrt_task *t, jrt_task *const *hs, int32_t n, jrt_waiter *nodes,
                      int64_t target)
{
    for (int32_t i = 0; i < n; i++) {
        nodes[i].target = hs[i];
        nodes[i].linked = 0;
    }
    await_req r = { t, nodes, n, target };
    block(t, JRT_BLOCK_AWAIT, commit_await, &r);
    unlink_waiters(nodes, n);
    return checkpoint_cancel(t);
}

JRT_API int jrt_await(jrt_task *h, jrt_outcome *out)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    if (!h || h == t) return JRT_EINVAL;
    int rc = checkpoint_cancel(t);
    if (rc) return rc;
    if (!jrt_task_is_done(h)) {
        jrt_waiter node;
        if ((rc = wait_tasks(t, &h, 1, &node, h->id))) return rc;
    }
    if (out) copy_outcome(h, out);
    return JRT_OK;
}

JRT_API int jrt_await_any(jrt_task *const *hs, int32_t n, int32_t *index)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    if (!hs || n <= 0) return JRT_EINVAL;
    int rc = checkpoint_cancel(t);
    if (rc) return rc;
    for (;;) {
        for (int32_t i = 0; i < n; i++) {
            if (jrt_task_is_done(hs[i])) {
                if (index) *index = i;
                return JRT_OK;
            }
        }
        jrt_waiter small[8];
        jrt_waiter *nodes = n <= 8 ? small : malloc(sizeof(jrt_waiter) * (size_t)n);
        if (!nodes) return JRT_ENOMEM;
        rc = wait_tasks(t, hs, n, nodes, -1);
        if (nodes != small) free(nodes);
        if (rc) return rc;
    }
}

/* --- sleep / io / yield -------------------------------------------------------------- */

typedef struct sleep_req { jrt_task *self; int64_t deadline; int on; } sleep_req;

static void commit_sleep(void *p)
{
    sleep_req *r = p;
    jrt_task *t = r->self;
    jrt_worker *w = t->worker;
    jrt_runtime *rt = w->rt;
    JRT_EMIT(rt, w, JRT_EV_TASK_BLOCK, t->id, r->on, r->deadline, 0, t->line);
    uint32_t tok = publish_wait(t, JRT_WAIT_WAITING | JRT_WAIT_CANCELLABLE);
    jrt_task_ref(t);  /* the heap entry's reference */
    if (jrt_timer_push(&w->timers, r->deadline, t, tok) != 0) {
        jrt_task_unref(t);
        jrt_wake(rt, w, t, tok, -1, JRT_PLACE_TOP);  /* OOM: wake at once */
        return;
    }
    if (atomic_load_explicit(&t->cancel, memory_order_seq_cst) & JRT_CANCEL_REQUESTED)
        jrt_wake(rt, w, t, tok, -1, JRT_PLACE_TOP);
}

static int sleep_for(int64_t ns, int on)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    int rc = checkpoint_cancel(t);
    if (rc) return rc;
    if (ns <= 0) {
        yield_task(t, JRT_YIELD_YIELD);
        return checkpoint_cancel(t);
    }
    sleep_req r = { t, jrt_clock(t->worker->rt) + ns, on };
    block(t, on, commit_sleep, &r);
    return checkpoint_cancel(t);
}

JRT_API int jrt_sleep_ns(int64_t ns) { return sleep_for(ns, JRT_BLOCK_SLEEP); }
JRT_API int jrt_sleep(int64_t ms) { return sleep_for(ms * 1000000, JRT_BLOCK_SLEEP); }
JRT_API int jrt_io_wait(int64_t ms) { return sleep_for(ms * 1000000, JRT_BLOCK_IO); }

JRT_API int jrt_yield(void)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    int rc = checkpoint_cancel(t);
    if (rc) return rc;
    yield_task(t, JRT_YIELD_YIELD);
    return checkpoint_cancel(t);
}

/* --- cancellation ------------------------------------------------------------------ */

typedef struct cancel_req { jrt_task *target; int64_t by; } cancel_req;

static void cancel_thunk(void *p)
{
    cancel_req *r = p;
    jrt_task_cancel(jrt_worker_self(), r->target, JRT_REASON_EXPLICIT, r->by);
}

JRT_API void jrt_cancel(jrt_task *h)
{
    if (!h) return;
    jrt_task *t = self_task();
    cancel_req r = { h, t ? t->id : -1 };
    if (t) jrt_call_on_worker_stack(cancel_thunk, &r);
    else cancel_thunk(&r);
}

JRT_API int32_t jrt_is_cancelled(void)
{
    jrt_task *t = self_task();
    if (!t || !cancelled(t)) return 0;
    observe(t, JRT_HOW_POLL);
    return 1;
}

JRT_API int jrt_checkpoint(void)
{
    jrt_task *t = self_task();
    return t ? checkpoint_cancel(t) : JRT_ESTATE;
}

/* --- budgets --------------------------------------------------------------------------- */

JRT_API int jrt_charge(int64_t ops)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    jrt_runtime *rt = t->worker->rt;
    if (rt->det) jrt_vclock_add(rt, ops * rt->cfg.op_ns);
    t->ops += (uint32_t)ops;
    if (t->ops >= rt->cfg.quantum) {
        t->ops = 0;
        yield_task(t, JRT_YIELD_BUDGET);
    }
    return atomic_load_explicit(&rt->stopping, memory_order_relaxed) ? JRT_ESTOPPED : JRT_OK;
}

JRT_API int jrt_mem_charge(int64_t bytes)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    t->mem += bytes;
    return t->mem > t->worker->rt->cfg.task_memory ? JRT_EBUDGET : JRT_OK;
}

/* --- identity, clock, random --------------------------------------------------------- */

JRT_API jrt_task *jrt_current_task(void) { return self_task(); }
JRT_API jrt_runtime *jrt_current_runtime(void)
{
    jrt_worker *w = jrt_worker_self();
    return w ? w->rt : NULL;
}
JRT_API int64_t jrt_task_id(void)
{
    jrt_task *t = self_task();
    return t ? t->id : -1;
}
JRT_API int32_t jrt_worker_id(void)
{
    jrt_worker *w = jrt_worker_self();
    return w ? w->id : -1;
}
JRT_API int64_t jrt_now_ns(void)
{
    jrt_worker *w = jrt_worker_self();
    return w ? jrt_clock(w->rt) : 0;
}
JRT_API int64_t jrt_now_ms(void) { return jrt_now_ns() / 1000000; }
JRT_API int64_t jrt_random(int64_t n)
{
    jrt_worker *w = jrt_worker_self();
    if (!w || n <= 0) return 0;
    return (int64_t)jrt_rng_below(&w->rng, (uint64_t)n);
}

JRT_API void jrt_call_on_worker_stack(void (*fn)(void *), void *arg)
{
    jrt_task *t = self_task();
    if (!t) { fn(arg); return; }
    jrt_worker *w = t->worker;
    w->out_fn = fn;
    w->out_arg = arg;
    jrt_fiber_switch_out(t, JRT_OUT_CALL);
}

/* --- VM events ----------------------------------------------------------------------- */

JRT_API void jrt_line(int32_t line)
{
    jrt_task *t = self_task();
    if (!t) return;
    t->line = line;
    jrt_runtime *rt = t->worker->rt;
    if (rt->line_events) JRT_EMIT(rt, t->worker, JRT_EV_LINE, t->id, 0, 0, 0, line);
}

JRT_API void jrt_emit_print(const char *text, size_t len)
{
    jrt_task *t = self_task();
    if (!t) return;
    JRT_EMIT_OUTPUT_TEXT(t->worker->rt, t->worker, JRT_EV_PRINT, t->id, 0, 0, 0, t->line, text, len);
}

JRT_API void jrt_emit_error(const char *error, int32_t line, const char *trace)
{
    jrt_task *t = self_task();
    if (!t || !t->worker->rt->output_on) return;
    size_t el = error ? strlen(error) : 0, tl = trace ? strlen(trace) : 0;
    char *buf = malloc(el + tl + 1);
    if (!buf) return;
    if (el) memcpy(buf, error, el);
    buf[el] = 0;
    if (tl) memcpy(buf + el + 1, trace, tl);
    JRT_EMIT_OUTPUT_TEXT(t->worker->rt, t->worker, JRT_EV_ERROR, t->id, 0, 0, 0, line, buf, el + 1 + tl);
    free(buf);
}
