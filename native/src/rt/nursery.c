/*
 * nursery.c — nurseries and the cancellation protocol (LANGUAGE.md §6.3–6.4).
 *
 * Cancellation protocol (cancel nursery N, reason R, requested by task B):
 *   1. Lock N. If N is already cancelled, stop: a request reaches a subtree once.
 *   2. Set N.cancelled (spawns into N now fail with Cancelled: they check it under N's
 *      lock) and remember R.
 *   3. For each live child C of N (still under N's lock, so the list is stable and each
 *      C's chain of owned nurseries is stable):
 *      a. lock C.wlock; skip C if it is DONE or already cancelled;
 *      b. set C.REQUESTED and emit cancel_request(task C, parent) — under C.wlock, so
 *         this is ordered with C's first task_run (a NEW task found REQUESTED never
 *         runs) and with C's task_done;
 *      c. if C waits in a cancellable wait (await, sleep, io), end the wait: C resumes
 *         and its checkpoint raises Cancelled. A join wait is never ended early;
 *      d. unlock C.wlock and apply this protocol to every nursery C owns (reason parent).
 *   4. Emit cancel_request(nursery N, R) and unlock. (After the children, so that any
 *      task_run of a child with a smaller seq really did happen before the request.)
 * A blocking task publishes its wait token and THEN re-reads its REQUESTED bit; the
 * walker sets REQUESTED and THEN reads the token: one of the two sees the other, and the
 * token CAS makes sure only one of them wakes the task.
 *
 * The walk recurses once per tree level, so it runs on a thread stack (the worker's
 * own, via jrt_call_on_worker_stack, when requested from a fiber), never on a fiber.
 * Locks are taken parent before child only, so concurrent walks cannot deadlock.
 */
#include "nursery.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "worker.h"

jrt_nursery *jrt_nursery_create(jrt_runtime *rt, jrt_worker *w, jrt_task *owner, int implicit)
{
    jrt_nursery *n = jrt_obj_alloc(&rt->nursery_pool, &w->nursery_cache);
    if (!n) return NULL;
    atomic_init(&n->lock.v, 0);
    atomic_init(&n->refs, 1);
    atomic_init(&n->live, 0);
    n->join_waiting = 0;
    n->id = jrt_alloc_nursery_id(rt, w);
    n->owner = owner;
    n->outer = NULL;
    n->children = NULL;
    n->first_error = NULL;
    n->first_error_seq = JRT_NO_SEQ;
    n->owner_error = NULL;
    n->rt = rt;
    n->line = owner ? owner->line : 0;
    atomic_init(&n->cancelled, 0);
    n->reason = 0;
    n->state = JRT_NURSERY_OPEN;
    n->implicit = (uint8_t)implicit;
    if (!owner) {  /* the root nursery */
        JRT_EMIT(rt, (jrt_worker *)NULL, JRT_EV_NURSERY_OPEN, n->id, -1, -1, 0, 0);
        return n;
    }
    jrt_nursery *parent = owner->nursery;
    jrt_spin_lock(&parent->lock);
    n->outer = owner->own;
    owner->own = n;
    JRT_EMIT(rt, w, JRT_EV_NURSERY_OPEN, n->id, owner->id, parent->id, 0, n->line);
    int inherit = atomic_load(&owner->cancel) & JRT_CANCEL_REQUESTED;
    jrt_spin_unlock(&parent->lock);
    if (inherit) {  /* opened by a cancelled task: born cancelled */
        atomic_store(&n->cancelled, 1);
        n->reason = JRT_REASON_PARENT;
        JRT_EMIT(rt, w, JRT_EV_CANCEL_REQUEST, JRT_TARGET_NURSERY, n->id, owner->id,
                 JRT_REASON_PARENT, 0);
    }
    return n;
}

void jrt_nursery_unref(jrt_nursery *n)
{
    if (atomic_fetch_sub_explicit(&n->refs, 1, memory_order_acq_rel) != 1) return;
    jrt_runtime *rt = n->rt;
    if (n->first_error) jrt_task_unref(n->first_error);
    free(n->owner_error);
    jrt_worker *self = jrt_worker_self();
    jrt_obj_free(&rt->nursery_pool, self && self->rt == rt ? &self->nursery_cache : NULL, n);
}

/* --- cancel walks vs first runs and task ends (events on) -----------------------------
 * A walk goes down the tree flagging tasks one by one, so between the cancel_request of
 * a task and the flagging of its descendants a worker could give a descendant that never
 * ran its first task_run, or end one with cancel_requested=false: the trace would show
 * a task of a cancelled subtree running or finishing as if nothing had been asked
 * (TRACE.md invariants 5 and 4). So with events on, those two decisions (check the flag,
 * emit task_run / task_done) are short sections that a walk does not overlap: the worker
 * sets its `deciding` flag and then reads `cancel_walks`; a walk increments
 * `cancel_walks` and then waits until no other worker's flag is set (a Dekker pair, both
 * seq_cst). A decision that meets a walk waits for it to end, by which time the walk has
 * flagged the task if it is in the subtree. Walks are rare and start with no lock held
 * (every caller below); a section takes only the task's wlock, wakes its awaiters and
 * emits. Events off, or deterministic (one thread): no order to keep, no cost. */
static void walk_begin(jrt_runtime *rt)
{
    if (!rt->events_on || rt->det) return;  /* det: one thread, sections never overlap */
    atomic_fetch_add_explicit(&rt->cancel_walks, 1, memory_order_seq_cst);
    for (int i = 0; i < rt->nworkers; i++) {
        jrt_worker *o = &rt->workers[i];
        if (o == jrt_worker_self()) continue;  /* a walk never starts inside a section */
        while (atomic_load_explicit(&o->deciding, memory_order_seq_cst) &&
               !atomic_load_explicit(&rt->abandon, memory_order_relaxed))
            jrt_cpu_relax();
    }
}

static void walk_end(jrt_runtime *rt)
{
    if (!rt->events_on || rt->det) return;
    atomic_fetch_sub_explicit(&rt->cancel_walks, 1, memory_order_seq_cst);
}

void jrt_decision_enter(jrt_runtime *rt, jrt_worker *w)
{
    for (unsigned spins = 0;;) {
        atomic_store_explicit(&w->deciding, 1, memory_order_seq_cst);
        if (!atomic_load_explicit(&rt->cancel_walks, memory_order_seq_cst)) return;
        atomic_store_explicit(&w->deciding, 0, memory_order_release);
        while (atomic_load_explicit(&rt->cancel_walks, memory_order_acquire) &&
               !atomic_load_explicit(&rt->abandon, memory_order_relaxed)) {
            if (++spins < 1000) jrt_cpu_relax();
            else sched_yield();   /* a long walk, or one paused at the event gate */
        }
        if (atomic_load_explicit(&rt->abandon, memory_order_relaxed)) return;
    }
}

static void walk(jrt_worker *w, jrt_nursery *n, int reason, int64_t by);

void jrt_task_cancel_locked(jrt_worker *w, jrt_task *t, int reason, int64_t by)
{
    jrt_runtime *rt = t->nursery->rt;  /* stable under the nursery lock we hold */
    jrt_spin_lock(&t->wlock);
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == JRT_TASK_DONE ||
        (atomic_load(&t->cancel) & JRT_CANCEL_REQUESTED)) {
        jrt_spin_unlock(&t->wlock);
        return;
    }
    atomic_fetch_or_explicit(&t->cancel, JRT_CANCEL_REQUESTED, memory_order_seq_cst);
    JRT_EMIT(rt, w, JRT_EV_CANCEL_REQUEST, JRT_TARGET_TASK, t->id, by, reason, 0);
    uint32_t tok = atomic_load_explicit(&t->wait_token, memory_order_seq_cst);
    if ((tok & 3u) == (JRT_WAIT_WAITING | JRT_WAIT_CANCELLABLE))
        jrt_wake(rt, w, t, tok, by, JRT_PLACE_TOP);
    jrt_spin_unlock(&t->wlock);
    for (jrt_nursery *m = t->own; m; m = m->outer)
        walk(w, m, JRT_REASON_PARENT, by);
}

void jrt_nursery_cancel_walk(jrt_worker *w, jrt_nursery *n, int reason, int64_t by)
{
    walk_begin(n->rt);
    walk(w, n, reason, by);
    walk_end(n->rt);
}

static void walk(jrt_worker *w, jrt_nursery *n, int reason, int64_t by)
{
    jrt_runtime *rt = n->rt;
    jrt_spin_lock(&n->lock);
    if (atomic_load_explicit(&n->cancelled, memory_order_relaxed)) {
        jrt_spin_unlock(&n->lock);
        return;
    }
    atomic_store_explicit(&n->cancelled, 1, memory_order_seq_cst);
    n->reason = (uint8_t)reason;
    for (jrt_task *c = n->children; c; c = c->sib_next)
        jrt_task_cancel_locked(w, c, JRT_REASON_PARENT, by);
    JRT_EMIT(rt, w, JRT_EV_CANCEL_REQUEST, JRT_TARGET_NURSERY, n->id, by, reason, 0);
    jrt_spin_unlock(&n->lock);
}

void jrt_task_cancel(jrt_worker *w, jrt_task *t, int reason, int64_t by)
{
    /* t->nursery is cleared under that nursery's lock when t finishes. Nursery memory is
     * type-stable for the whole run (objcache.h), so locking a stale pointer is harmless:
     * we re-check under the lock and retry. */
    jrt_runtime *rt = w ? w->rt : t->worker->rt;
    walk_begin(rt);
    for (;;) {
        jrt_nursery *n = __atomic_load_n(&t->nursery, __ATOMIC_ACQUIRE);
        if (!n) break;
        jrt_spin_lock(&n->lock);
        if (__atomic_load_n(&t->nursery, __ATOMIC_RELAXED) == n) {
            jrt_task_cancel_locked(w, t, reason, by);
            jrt_spin_unlock(&n->lock);
            break;
        }
        jrt_spin_unlock(&n->lock);
    }
    walk_end(rt);
}

void jrt_nursery_child_done(jrt_worker *w, jrt_task *child, uint64_t done_seq)
{
    jrt_runtime *rt = w->rt;
    jrt_nursery *n = child->nursery;
    jrt_spin_lock(&n->lock);
    if (child->sib_prev) child->sib_prev->sib_next = child->sib_next;
    else n->children = child->sib_next;
    if (child->sib_next) child->sib_next->sib_prev = child->sib_prev;
    child->sib_prev = child->sib_next = NULL;
    __atomic_store_n(&child->nursery, NULL, __ATOMIC_RELEASE);
    int failed = child->outcome == JRT_OUTCOME_ERROR;
    jrt_task *superseded = NULL;
    if (JRT_UNLIKELY(failed)) {
        /* Two children failing at once on two workers reach this lock in either order;
         * the trace order of their task_done events decides which error is first. */
        if (!n->first_error || done_seq < n->first_error_seq) {
            superseded = n->first_error;
            n->first_error = child;
            n->first_error_seq = done_seq;
            jrt_task_ref(child);
        }
        /* The walk touches n: it must happen while this child still counts as live
         * (once the count reaches zero the owner may close and free n). */
        jrt_spin_unlock(&n->lock);
        jrt_nursery_cancel_walk(w, n, JRT_REASON_FAILURE, child->id);
        jrt_spin_lock(&n->lock);
    }
    /* Plain decrement under the lock (see nursery.h); release so an owner that reads
     * zero without the lock also sees first_error and the children's effects. */
    int64_t live = atomic_load_explicit(&n->live, memory_order_relaxed) - 1;
    atomic_store_explicit(&n->live, live, memory_order_release);
    jrt_task *owner = n->owner;
    int wake_owner = live == 0 && n->join_waiting;
    /* Unlocking is the last touch of n: from here the owner may close and free it. */
    jrt_spin_unlock(&n->lock);
    if (JRT_UNLIKELY(superseded)) jrt_task_unref(superseded);  /* may call a drop hook */
    if (wake_owner) {
        uint32_t tok = atomic_load_explicit(&owner->wait_token, memory_order_acquire);
        jrt_wake(rt, w, owner, tok, child->id, JRT_PLACE_RUNNEXT);
    } else if (!owner && live == 0) {
        jrt_run_finished(rt, w);
    }
}

/* --- join ---------------------------------------------------------------------------- */

typedef struct join_req { jrt_task *self; jrt_nursery *n; } join_req;

static void commit_join(void *p)
{
    join_req *r = p;
    jrt_task *t = r->self;
    jrt_worker *w = t->worker;
    jrt_runtime *rt = w->rt;
    JRT_EMIT(rt, w, JRT_EV_TASK_BLOCK, t->id, JRT_BLOCK_JOIN, r->n->id, 0, t->line);
    /* Not cancellable: a join always waits for every child (no orphans). */
    uint32_t tok = (atomic_load_explicit(&t->wait_token, memory_order_relaxed) & ~JRT_WAIT_BITS) +
                   JRT_WAIT_GEN + JRT_WAIT_WAITING;
    atomic_store_explicit(&t->wait_token, tok, memory_order_seq_cst);
    jrt_nursery *n = r->n;
    jrt_spin_lock(&n->lock);
    int64_t live = atomic_load_explicit(&n->live, memory_order_relaxed);
    if (live) n->join_waiting = 1;
    jrt_spin_unlock(&n->lock);
    if (live == 0) jrt_wake(rt, w, t, tok, t->id, JRT_PLACE_RUNNEXT);
}

typedef struct walk_req { jrt_nursery *n; int reason; int64_t by; } walk_req;

static void walk_thunk(void *p)
{
    walk_req *r = p;
    jrt_nursery_cancel_walk(jrt_worker_self(), r->n, r->reason, r->by);
}

void jrt_nursery_cancel_from_fiber(jrt_task *self, jrt_nursery *n, int reason)
{
    if (atomic_load(&n->cancelled)) return;
    walk_req r = { n, reason, self ? self->id : -1 };
    jrt_call_on_worker_stack(walk_thunk, &r);
}

int jrt_nursery_join_impl(jrt_task *t, jrt_nursery *n, const char *leaving, int at_exit,
                          jrt_outcome *out)
{
    jrt_runtime *rt = n->rt;
    if (n != t->own) return JRT_EINVAL;
    if (leaving) {
        free(n->owner_error);
        n->owner_error = strdup(leaving);
        jrt_nursery_cancel_from_fiber(t, n, JRT_REASON_FAILURE);
    }
    jrt_spin_lock(&n->lock);
    n->state = JRT_NURSERY_JOINING;
    jrt_spin_unlock(&n->lock);
    JRT_EMIT(rt, t->worker, JRT_EV_NURSERY_JOIN, n->id, 0, 0, 0, t->line);
    if (atomic_load_explicit(&n->live, memory_order_acquire)) {
        join_req r = { t, n };
        t->block_on = JRT_BLOCK_JOIN;
        atomic_store_explicit(&t->state, JRT_TASK_BLOCKED, memory_order_relaxed);
        t->worker->out_fn = commit_join;
        t->worker->out_arg = &r;
        jrt_fiber_switch_out(t, JRT_OUT_BLOCK);
    }
    n->join_waiting = 0;  /* every child is gone: nobody else touches n's count now */

    /* Every child has finished: close. */
    int kind = JRT_OUTCOME_OK;
    const char *text = NULL;
    if (n->first_error) { kind = JRT_OUTCOME_ERROR; text = n->first_error->u.end.text; }
    else if (n->owner_error) { kind = JRT_OUTCOME_ERROR; text = n->owner_error; }
    else if (atomic_load(&n->cancelled)) kind = JRT_OUTCOME_CANCELLED;
    jrt_worker *w = t->worker;
    JRT_EMIT_TEXT(rt, w, JRT_EV_NURSERY_CLOSE, n->id, kind, 0, 0, t->line, text,
                  text ? strlen(text) : 0);
    jrt_spin_lock(&t->nursery->lock);
    t->own = n->outer;
    jrt_spin_unlock(&t->nursery->lock);
    jrt_spin_lock(&n->lock);
    n->state = JRT_NURSERY_CLOSED;
    jrt_spin_unlock(&n->lock);

    if (out) {
        memset(out, 0, sizeof *out);
        out->kind = JRT_OUTCOME_OK;
    }
    if (n->first_error) {
        if (out) {
            out->kind = JRT_OUTCOME_ERROR;
            out->error = (void *)(uintptr_t)n->first_error->u.end.value;
            out->text = n->first_error->u.end.text;
        }
        return JRT_OK;
    }
    if (!leaving && !at_exit &&
        (atomic_load(&t->cancel) & JRT_CANCEL_REQUESTED)) {
        uint8_t c = atomic_fetch_or(&t->cancel, JRT_CANCEL_OBSERVED);
        if (!(c & JRT_CANCEL_OBSERVED))
            JRT_EMIT(rt, w, JRT_EV_CANCEL_OBSERVE, t->id, JRT_HOW_CHECKPOINT, 0, 0, t->line);
        return JRT_ECANCELLED;
    }
    return JRT_OK;
}

/* --- public API -------------------------------------------------------------------- */

static jrt_task *self_task(void)
{
    jrt_worker *w = jrt_worker_self();
    return w ? w->current : NULL;
}

JRT_API int jrt_nursery_open(jrt_nursery **out)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    jrt_nursery *n = jrt_nursery_create(t->worker->rt, t->worker, t, 0);
    if (!n) return JRT_ENOMEM;
    atomic_fetch_add(&n->refs, 1);  /* one for the runtime (dropped at close), one for the caller */
    *out = n;
    return JRT_OK;
}

static int join_explicit(jrt_nursery *n, const char *leaving, jrt_outcome *out)
{
    jrt_task *t = self_task();
    if (!t) return JRT_ESTATE;
    if (!n || n->implicit) return JRT_EINVAL;
    int rc = jrt_nursery_join_impl(t, n, leaving, 0, out);
    if (rc != JRT_EINVAL) jrt_nursery_unref(n);  /* the runtime's reference */
    return rc;
}

JRT_API int jrt_nursery_join(jrt_nursery *n, jrt_outcome *out)
{
    return join_explicit(n, NULL, out);
}

JRT_API int jrt_nursery_join_error(jrt_nursery *n, const char *error_text, jrt_outcome *out)
{
    return join_explicit(n, error_text ? error_text : "error", out);
}

typedef struct ncancel_req { jrt_nursery *n; int64_t by; } ncancel_req;
static void ncancel_thunk(void *p)
{
    ncancel_req *r = p;
    jrt_nursery_cancel_walk(jrt_worker_self(), r->n, JRT_REASON_EXPLICIT, r->by);
}

JRT_API void jrt_nursery_cancel(jrt_nursery *n)
{
    if (!n) return;
    jrt_task *t = self_task();
    ncancel_req r = { n, t ? t->id : -1 };
    if (t) jrt_call_on_worker_stack(ncancel_thunk, &r);
    else ncancel_thunk(&r);
}

JRT_API int32_t jrt_nursery_is_cancelled(const jrt_nursery *n)
{
    return atomic_load(&((jrt_nursery *)n)->cancelled) != 0;
}
JRT_API int64_t jrt_nursery_id(const jrt_nursery *n) { return n->id; }
JRT_API void jrt_nursery_retain(jrt_nursery *n) { atomic_fetch_add(&n->refs, 1); }
JRT_API void jrt_nursery_release(jrt_nursery *n)
{
    if (n) jrt_nursery_unref(n);
}
