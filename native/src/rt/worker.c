/*
 * worker.c — one worker's scheduling loop: find a task (runnext, own deque, inject,
 * steal), switch to it, act on why it switched back, park when there is nothing to do.
 * The same jrt_worker_step serves both modes: a live worker thread calls it in a loop,
 * the deterministic driver calls it for the worker the seed picked.
 */
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nursery.h"
#include "scheduler.h"

static __thread jrt_worker *tls_worker;

/* Not inlined, with a compiler barrier: a fiber calling this before and after a switch
 * must get two separate reads (it may be on another thread the second time). */
JRT_NOINLINE jrt_worker *jrt_worker_self(void)
{
    __asm__ volatile("" ::: "memory");
    return tls_worker;
}

JRT_NOINLINE void jrt_worker_set_self(jrt_worker *w)
{
    __asm__ volatile("" ::: "memory");
    tls_worker = w;
}

int jrt_worker_init(jrt_runtime *rt, jrt_worker *w, int id)
{
    memset(w, 0, sizeof *w);
    w->rt = rt;
    w->id = id;
    jrt_deque_init(&w->deque);
    uint64_t s = (uint64_t)rt->cfg.seed * 0x9E3779B97F4A7C15ull + (uint64_t)id + 1;
    w->rng = jrt_splitmix64(&s) | 1;
    w->ring = &rt->rings[id];
    return 0;
}

void jrt_worker_destroy(jrt_worker *w)
{
    /* Entries of waits that ended early (a cancelled sleep) still hold a reference. */
    while (w->timers.n) {
        jrt_timer e;
        jrt_timer_pop(&w->timers, &e);
        jrt_task_unref(e.task);
    }
    jrt_timer_heap_free(&w->timers);
}

/* --- switching ------------------------------------------------------------------------ */

/* fresh: the task's first run: start jrt_fiber_entry on the new stack directly. */
static inline void switch_to_task(jrt_worker *w, jrt_task *t, int fresh)
{
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_start_switch_fiber(&w->asan_fake, t->stack->lo,
                                   (size_t)((char *)t->stack - t->stack->lo));
#endif
#ifdef JRT_SANITIZE_THREAD
    __tsan_switch_to_fiber(t->stack->tsan_fiber, 0);
#endif
    if (fresh)
        jrt_switch_new(&w->sched_ctx, (void *)((uintptr_t)t->stack->top & ~(uintptr_t)15),
                       jrt_fiber_entry, t);
    else
        jrt_switch(&w->sched_ctx, &t->stack->ctx);
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_finish_switch_fiber(w->asan_fake, NULL, NULL);
#endif
}

void jrt_fiber_switch_out(jrt_task *t, int out)
{
    jrt_worker *w = t->worker;
    jrt_stack *s = t->stack;
    w->out = out;
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_start_switch_fiber(out == JRT_OUT_DONE ? NULL : &s->asan_fake, w->stack_lo,
                                   w->stack_size);
#endif
#ifdef JRT_SANITIZE_THREAD
    __tsan_switch_to_fiber(w->tsan_fiber, 0);
#endif
    jrt_switch(&s->ctx, &w->sched_ctx);
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_finish_switch_fiber(s->asan_fake, NULL, NULL);
#endif
}

void jrt_fiber_exit(jrt_task *t)
{
    jrt_worker *w = t->worker;
    w->out = JRT_OUT_DONE;
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_start_switch_fiber(NULL, w->stack_lo, w->stack_size);
#endif
#ifdef JRT_SANITIZE_THREAD
    __tsan_switch_to_fiber(w->tsan_fiber, 0);
#endif
    jrt_jump(&w->sched_ctx);  /* nothing to save: this fiber never resumes */
}

static void die_canary(jrt_worker *w, jrt_task *t)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg,
                     "janusrt: fatal: stack of task %lld (func %u) overflowed or was "
                     "corrupted (canary overwritten, %lld-byte stack)\n",
                     (long long)t->id, t->func_id, (long long)w->rt->stacks.usable_bytes);
    if (write(2, msg, (size_t)n) < 0) { /* nothing more we can do */ }
    abort();
}

/* --- placing runnable tasks --------------------------------------------------------- */

/* Move the older half of a full deque to the inject queue (owner only): one CAS on the
 * deque and one inject lock per chunk of JRT_SPILL_CHUNK tasks, not one of each per
 * task. Same tasks, same order and same events as moving them one by one. This runs on
 * the spawning fiber's stack (8 KB): the buffer stays small whatever JRT_DEQUE_CAP is. */
#define JRT_SPILL_CHUNK 64
static JRT_NOINLINE void spill(jrt_runtime *rt, jrt_worker *w)
{
    void *buf[JRT_SPILL_CHUNK];
    for (int64_t left = JRT_DEQUE_CAP / 2; left > 0;) {
        int64_t n = jrt_deque_take_oldest(&w->deque, buf,
                                          left < JRT_SPILL_CHUNK ? left : JRT_SPILL_CHUNK);
        if (n <= 0) return;
        for (int64_t i = 0; i < n; i++) {
            jrt_task *x = buf[i];
            JRT_EMIT(rt, w, JRT_EV_TASK_PUSH, x->id, -1, JRT_POS_BOTTOM, 0, 0);
            x->next = i + 1 < n ? (jrt_task *)buf[i + 1] : NULL;
        }
        jrt_inject_push_list(rt, buf[0], buf[n - 1], n);
        left -= n;
    }
}

static void push_top(jrt_runtime *rt, jrt_worker *w, jrt_task *t, int emit)
{
    if (JRT_UNLIKELY(jrt_deque_size(&w->deque) >= JRT_DEQUE_CAP)) spill(rt, w);
    if (emit) JRT_EMIT(rt, w, JRT_EV_TASK_PUSH, t->id, w->id, JRT_POS_TOP, 0, 0);
    jrt_deque_push(&w->deque, t);
}

void jrt_place(jrt_runtime *rt, jrt_worker *w, jrt_task *t, int where)
{
    if (!w) where = JRT_PLACE_INJECT;
    switch (where) {
    case JRT_PLACE_RUNNEXT: {
        jrt_task *old = w->runnext;
        JRT_EMIT(rt, w, JRT_EV_TASK_PUSH, t->id, w->id, JRT_POS_TOP, 0, 0);
        w->runnext = t;
        if (old) {  /* the previous runnext stays at the top, now in the deque */
            push_top(rt, w, old, 0);
            jrt_notify_work_from(rt, w);
        }
        break;
    }
    case JRT_PLACE_TOP:
        push_top(rt, w, t, 1);
        jrt_notify_work_from(rt, w);
        break;
    default:
        JRT_EMIT(rt, w, JRT_EV_TASK_PUSH, t->id, -1, JRT_POS_BOTTOM, 0, 0);
        jrt_inject_push(rt, t);
        jrt_notify_work_from(rt, w);
        break;
    }
}

int jrt_wake(jrt_runtime *rt, jrt_worker *w, jrt_task *t, uint32_t token, int64_t by, int where)
{
    if (!(token & JRT_WAIT_WAITING)) return 0;
    uint32_t expect = token;
    if (!atomic_compare_exchange_strong_explicit(&t->wait_token, &expect, token & ~JRT_WAIT_BITS,
                                                 memory_order_acq_rel, memory_order_relaxed)) {
        /* Still registering (await): end the wait early; the registering worker places. */
        uint32_t reg = (token & ~JRT_WAIT_BITS) | JRT_WAIT_REGISTERING;
        if (expect == reg)
            atomic_compare_exchange_strong_explicit(&t->wait_token, &expect, token & ~JRT_WAIT_BITS,
                                                    memory_order_acq_rel, memory_order_relaxed);
        return 0;
    }
    atomic_store_explicit(&t->state, JRT_TASK_RUNNABLE, memory_order_relaxed);
    JRT_EMIT(rt, w, JRT_EV_TASK_WAKE, t->id, by, 0, 0, 0);
    jrt_place(rt, w, t, where);
    return 1;
}

/* --- finding work ------------------------------------------------------------------- */

static void fire_timers(jrt_runtime *rt, jrt_worker *w)
{
    int64_t now = jrt_clock(rt);
    while (w->timers.n && w->timers.v[0].deadline <= now) {
        jrt_timer e;
        jrt_timer_pop(&w->timers, &e);
        jrt_wake(rt, w, e.task, e.token, -1, JRT_PLACE_TOP);
        jrt_task_unref(e.task);
    }
}

static jrt_task *steal(jrt_runtime *rt, jrt_worker *w)
{
    int n = rt->nworkers;
    if (n == 1) return NULL;
    int start = (int)jrt_rng_below(&w->rng, (uint64_t)n);
    for (int i = 0; i < n; i++) {
        int v = (start + i) % n;
        if (v == w->id) continue;
        jrt_worker *victim = &rt->workers[v];
        int64_t size = jrt_deque_size(&victim->deque);
        if (size <= 0) continue;
        int64_t want = (size + 1) / 2;
        jrt_task *first = NULL;
        for (int64_t k = 0, tries = 0; k < want && tries < want + 8; tries++) {
            bool lost = false;
            jrt_task *x = jrt_deque_steal(&victim->deque, &lost);
            if (!x) { if (lost) continue; break; }
            k++;
            JRT_EMIT(rt, w, JRT_EV_TASK_STEAL, x->id, v, 0, 0, 0);
            atomic_store_explicit(&w->steals, atomic_load_explicit(&w->steals, memory_order_relaxed) + 1,
                                  memory_order_relaxed);
            if (!first) first = x;
            else push_top(rt, w, x, 0);
        }
        if (first) {
            if (jrt_deque_size(&w->deque) > 0) jrt_notify_work(rt);  /* share the rest */
            return first;
        }
    }
    return NULL;
}

static JRT_ALWAYS_INLINE jrt_task *find_work(jrt_runtime *rt, jrt_worker *w)
{
    jrt_task *t;
    if (w->timers.n) fire_timers(rt, w);
    /* Every 61st schedule look at the shared queue first, so yielded tasks and wake-ups
     * from outside cannot starve behind a busy local deque. */
    if (JRT_UNLIKELY(++w->tick % 61 == 0) &&
        atomic_load_explicit(&rt->inject.n, memory_order_relaxed) > 0 &&
        (t = jrt_inject_pop(rt))) {
        JRT_EMIT(rt, w, JRT_EV_TASK_POP, t->id, -1, 0, 0, 0);
        return t;
    }
    if ((t = w->runnext)) {
        w->runnext = NULL;
        JRT_EMIT(rt, w, JRT_EV_TASK_POP, t->id, w->id, 0, 0, 0);
        return t;
    }
    /* A single worker has no thieves: its pop needs no fence. */
    if ((t = rt->nworkers == 1 ? jrt_deque_pop_unshared(&w->deque) : jrt_deque_pop(&w->deque))) {
        JRT_EMIT(rt, w, JRT_EV_TASK_POP, t->id, w->id, 0, 0, 0);
        return t;
    }
    if (atomic_load_explicit(&rt->inject.n, memory_order_relaxed) > 0 && (t = jrt_inject_pop(rt))) {
        JRT_EMIT(rt, w, JRT_EV_TASK_POP, t->id, -1, 0, 0, 0);
        return t;
    }
    return steal(rt, w);
}

int jrt_worker_has_work(jrt_worker *w, int64_t now)
{
    jrt_runtime *rt = w->rt;
    if (w->runnext || jrt_deque_size(&w->deque) > 0) return 1;
    if (atomic_load_explicit(&rt->inject.n, memory_order_seq_cst) > 0) return 1;
    if (w->timers.n && w->timers.v[0].deadline <= now) return 1;
    for (int i = 0; i < rt->nworkers; i++) {
        if (i == w->id) continue;
        jrt_deque *d = &rt->workers[i].deque;
        if (atomic_load_explicit(&d->tail, memory_order_seq_cst) -
            atomic_load_explicit(&d->head, memory_order_seq_cst) > 0)
            return 1;
    }
    return 0;
}

/* The lean exit (events off, no handle, no waiters, did not fail): one lock instead of
 * two. finish() takes wlock to order the DONE decision with cancellations and await
 * registrations. With refs == 1 nobody holds a handle, so nobody can await the task or
 * cancel it through a handle; the only way to reach it is as a child of its nursery,
 * and every canceller (the walk, jrt_task_cancel's re-check) does that under
 * nursery->lock. So deciding DONE and unlinking under that lock alone excludes them
 * all, and with events off there is no trace order to keep. Returns 0 if the task does
 * not qualify (then nothing was done). */
static JRT_ALWAYS_INLINE int retire_lean(jrt_worker *w, jrt_task *t)
{
    jrt_runtime *rt = w->rt;
    /* refs first: while a handle exists an awaiter may be linking itself into waiters
     * (under wlock); with refs == 1 there is none, and the acquire load orders the last
     * handle's release (and whatever waiters saw) before the read of waiters. */
    if (rt->events_on || t->outcome == JRT_OUTCOME_ERROR ||
        atomic_load_explicit(&t->refs, memory_order_acquire) != 1 || t->waiters)
        return 0;
    jrt_nursery *n = t->nursery;
    jrt_spin_lock(&n->lock);
    atomic_store_explicit(&t->state, JRT_TASK_DONE, memory_order_release);
    if (t->sib_prev) t->sib_prev->sib_next = t->sib_next;
    else n->children = t->sib_next;
    if (t->sib_next) t->sib_next->sib_prev = t->sib_prev;
    __atomic_store_n(&t->nursery, NULL, __ATOMIC_RELEASE);
    /* Plain decrement under the lock, release: see jrt_nursery_child_done. */
    int64_t live = atomic_load_explicit(&n->live, memory_order_relaxed) - 1;
    atomic_store_explicit(&n->live, live, memory_order_release);
    jrt_task *owner = n->owner;
    int wake_owner = live == 0 && n->join_waiting;
    jrt_spin_unlock(&n->lock);  /* last touch of n */
    atomic_store_explicit(&w->finished, atomic_load_explicit(&w->finished, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    jrt_stack_give(&rt->stacks, &w->stacks, t->stack);
    if (wake_owner) {
        uint32_t tok = atomic_load_explicit(&owner->wait_token, memory_order_acquire);
        jrt_wake(rt, w, owner, tok, t->id, JRT_PLACE_RUNNEXT);
    } else if (JRT_UNLIKELY(!owner && live == 0)) {
        jrt_run_finished(rt, w);
    }
    /* The runtime's reference was the only one: free the TCB. */
    if (t->outcome == JRT_OUTCOME_OK && rt->drop_value) rt->drop_value(t->u.end.value);
    jrt_obj_free(&rt->task_pool, &w->task_cache, t);
    return 1;
}

/* --- running one task ------------------------------------------------------------------ */

static JRT_ALWAYS_INLINE void run_task(jrt_runtime *rt, jrt_worker *w, jrt_task *t)
{
    int fresh = 0;
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == JRT_TASK_NEW) {
        /* First run: decided under wlock, so that it is ordered with cancel_request
         * (task_run before or after it in the trace, never across the decision). With
         * events off there is no order to show, and the decision itself needs no lock:
         * a cancellation that set REQUESTED before this load is seen and the task never
         * runs; one that comes later finds a started task, exactly as with the lock. */
        if (JRT_UNLIKELY(rt->events_on)) {
            if (!rt->det) jrt_decision_enter(rt, w);  /* no cancel walk overlaps */
            jrt_spin_lock(&t->wlock);
            if (atomic_load(&t->cancel) & JRT_CANCEL_REQUESTED) {
                jrt_spin_unlock(&t->wlock);
                jrt_decision_leave(w);
                t->worker = w;
                jrt_task_finish_unrun(w, t);  /* never runs its body */
                return;
            }
            /* STARTED is written only here and REQUESTED only under wlock (held), and
             * the task itself (OBSERVED) has not run yet: a plain update suffices. */
            atomic_store_explicit(&t->cancel,
                                  atomic_load_explicit(&t->cancel, memory_order_relaxed) |
                                      JRT_CANCEL_STARTED,
                                  memory_order_relaxed);
            t->worker = w;
            JRT_EMIT(rt, w, JRT_EV_TASK_RUN, t->id, 0, 0, 0, 0);
            jrt_spin_unlock(&t->wlock);
            jrt_decision_leave(w);
        } else {
            if (atomic_load_explicit(&t->cancel, memory_order_seq_cst) & JRT_CANCEL_REQUESTED) {
                t->worker = w;
                jrt_task_finish_unrun(w, t);  /* never runs its body */
                return;
            }
            t->worker = w;
        }
        jrt_stack *s = jrt_stack_take(&rt->stacks, &w->stacks, &w->rng);
        if (!s) {
            fprintf(stderr, "janusrt: fatal: out of memory for fiber stacks\n");
            abort();
        }
#ifdef JRT_SANITIZE_THREAD
        if (!s->tsan_fiber) s->tsan_fiber = __tsan_create_fiber(0);
#endif
#ifdef JRT_SANITIZE_ADDRESS
        /* The previous fiber on this stack left without unwinding: clear its redzones. */
        __asan_unpoison_memory_region(s->lo, (size_t)((char *)s - s->lo));
#endif
        t->stack = s;
        fresh = 1;  /* its context is built by jrt_switch_new */
    } else {
        t->worker = w;
        JRT_EMIT(rt, w, JRT_EV_TASK_RUN, t->id, 0, 0, 0, 0);
    }
    atomic_store_explicit(&t->state, JRT_TASK_RUNNING, memory_order_relaxed);
    w->current = t;
    if (rt->det) jrt_vclock_add(rt, rt->cfg.switch_ns);
    atomic_store_explicit(&w->switches, atomic_load_explicit(&w->switches, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    for (;;) {
        switch_to_task(w, t, fresh);
        fresh = 0;
        if (JRT_UNLIKELY(w->out == JRT_OUT_ABANDON)) {
            w->current = NULL;
            return;  /* the task is left behind; the worker loop exits */
        }
        if (JRT_UNLIKELY(!jrt_stack_canary_ok(&rt->stacks, t->stack))) die_canary(w, t);
        if (w->out != JRT_OUT_CALL) break;
        w->out_fn(w->out_arg);  /* run on this (thread) stack, then resume the fiber */
    }
    w->current = NULL;
    switch (w->out) {
    case JRT_OUT_YIELD:
        JRT_EMIT(rt, w, JRT_EV_TASK_YIELD, t->id, w->out_reason, 0, 0, 0);
        if (!w->runnext && jrt_deque_size(&w->deque) == 0
            && atomic_load_explicit(&rt->inject.n, memory_order_relaxed) == 0) {
            /* To the back of an empty line: this worker has nothing else and nobody queued
             * anything, so it takes t again next. Waking an idle worker to look at t would
             * only make it spin and park again (a futex round trip per quantum for a lone
             * busy task, ~25 % of fib's run time). */
            JRT_EMIT(rt, w, JRT_EV_TASK_PUSH, t->id, -1, JRT_POS_BOTTOM, 0, 0);
            jrt_inject_push(rt, t);
        } else {
            jrt_place(rt, w, t, JRT_PLACE_INJECT);  /* to the back */
        }
        break;
    case JRT_OUT_BLOCK:
        w->out_fn(w->out_arg);  /* commit the wait (may wake t at once) */
        break;
    case JRT_OUT_DONE:
        if (JRT_LIKELY(retire_lean(w, t))) break;
        jrt_task_retire(w, t);
        break;
    default:
        abort();
    }
    w->out = JRT_OUT_NONE;
    w->out_arg = NULL;
}

static JRT_ALWAYS_INLINE int worker_step(jrt_worker *w)
{
    jrt_runtime *rt = w->rt;
    if (JRT_UNLIKELY(atomic_load_explicit(&rt->paused, memory_order_relaxed)) && !rt->events_on)
        jrt_gate_pass(rt);
    jrt_task *t = find_work(rt, w);
    if (!t) return 0;
    run_task(rt, w, t);
    return 1;
}

int jrt_worker_step(jrt_worker *w) { return worker_step(w); }

/* --- live mode thread ----------------------------------------------------------------- */

static void park(jrt_runtime *rt, jrt_worker *w)
{
    uint32_t epoch = atomic_load_explicit(&rt->park_epoch, memory_order_seq_cst);
    atomic_fetch_add_explicit(&rt->nidle, 1, memory_order_seq_cst);
    int64_t now = jrt_clock(rt);
    if (atomic_load(&rt->finished) || atomic_load(&rt->abandon) || jrt_worker_has_work(w, now)) {
        atomic_fetch_sub_explicit(&rt->nidle, 1, memory_order_seq_cst);
        atomic_store_explicit(&rt->nspinning, 0, memory_order_relaxed);
        return;
    }
    int64_t timeout = -1;
    if (w->timers.n) timeout = w->timers.v[0].deadline - now;
    if (timeout == 0) timeout = 1;
    JRT_EMIT(rt, w, JRT_EV_WORKER_PARK, 0, 0, 0, 0, 0);
    jrt_futex_wait(&rt->park_epoch, epoch, timeout);
    atomic_fetch_sub_explicit(&rt->nidle, 1, memory_order_seq_cst);
    atomic_store_explicit(&rt->nspinning, 0, memory_order_relaxed);
    JRT_EMIT(rt, w, JRT_EV_WORKER_UNPARK, 0, 0, 0, 0, 0);
}

void *jrt_worker_main(void *arg)
{
    jrt_worker *w = arg;
    jrt_runtime *rt = w->rt;
    jrt_worker_set_self(w);
    jrt_signals_thread_init(w);
#ifdef JRT_SANITIZE_THREAD
    w->tsan_fiber = __tsan_get_current_fiber();
#endif
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &w->stack_lo, &w->stack_size);
        pthread_attr_destroy(&attr);
    }
    while (!atomic_load_explicit(&rt->finished, memory_order_acquire) &&
           !atomic_load_explicit(&rt->abandon, memory_order_relaxed)) {
        if (worker_step(w)) continue;
        /* A short spin before parking: work often appears within a few microseconds. */
        int found = 0;
        for (int i = 0; i < 64 && !found; i++) {
            jrt_cpu_relax();
            found = jrt_worker_has_work(w, jrt_clock(rt));
        }
        if (!found) park(rt, w);
    }
    jrt_signals_thread_fini(w);
    jrt_worker_set_self(NULL);
    return NULL;
}
