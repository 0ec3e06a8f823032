/*
 * control.c — driving a run from outside: the supervisor thread, pause / single-step /
 * resume / stop, the run's status and statistics, and the two signal handlers (a guard
 * page hit by a fiber; pulling a worker off a task that ignored a stop).
 *
 * The supervisor (one thread per run) starts the workers (or the deterministic driver),
 * waits for the end of the run, a stop request or the max_run_ms deadline, delivers a
 * stop (cancel everything, wait grace_ms, then abandon), joins the threads, and emits
 * run_end last. Control calls from Java only set flags under ctl_lock and signal it, so
 * they return at once.
 *
 * Pause is a gate every event passes (events.c) and every scheduling step passes when
 * events are off (worker.c): while paused, a worker stops at its next event; each
 * jrt_step adds one credit, which lets exactly one event through.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nursery.h"
#include "scheduler.h"

int jrt_start_workers(jrt_runtime *rt);
void jrt_join_workers(jrt_runtime *rt);

#define JRT_SIG_ABANDON (SIGRTMIN + 5)
#define ALTSTACK_BYTES (128 * 1024)

/* --- pause gate -------------------------------------------------------------------- */

void jrt_gate_pass(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    while (atomic_load(&rt->paused) && rt->step_credits == 0 && !atomic_load(&rt->stopping))
        pthread_cond_wait(&rt->ctl_cond, &rt->ctl_lock);
    if (atomic_load(&rt->paused) && rt->step_credits > 0) rt->step_credits--;
    pthread_mutex_unlock(&rt->ctl_lock);
}

JRT_API void jrt_pause(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    int32_t st = atomic_load(&rt->status);
    if (st == JRT_STATUS_RUNNING || st == JRT_STATUS_CREATED) {
        atomic_store(&rt->paused, 1);
        rt->step_credits = 0;
        if (st == JRT_STATUS_RUNNING) atomic_store(&rt->status, JRT_STATUS_PAUSED);
    }
    pthread_mutex_unlock(&rt->ctl_lock);
}

JRT_API void jrt_step(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    if (atomic_load(&rt->paused)) {
        rt->step_credits++;
        pthread_cond_broadcast(&rt->ctl_cond);
    }
    pthread_mutex_unlock(&rt->ctl_lock);
}

JRT_API void jrt_resume(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    atomic_store(&rt->paused, 0);
    if (atomic_load(&rt->status) == JRT_STATUS_PAUSED) atomic_store(&rt->status, JRT_STATUS_RUNNING);
    pthread_cond_broadcast(&rt->ctl_cond);
    pthread_mutex_unlock(&rt->ctl_lock);
}

void jrt_request_stop(jrt_runtime *rt, const char *why, int result)
{
    pthread_mutex_lock(&rt->ctl_lock);
    if (!rt->stop_requested && !atomic_load(&rt->finished)) {
        __atomic_store_n(&rt->stop_requested, 1, __ATOMIC_RELEASE);  /* read lock-free by the det driver */
        if (rt->result == JRT_RESULT_NONE) {
            rt->result = result;
            snprintf(rt->result_text, sizeof rt->result_text, "%s", why);
        }
        atomic_store(&rt->paused, 0);
        pthread_cond_broadcast(&rt->ctl_cond);
    }
    pthread_mutex_unlock(&rt->ctl_lock);
}

int jrt_stop_requested(jrt_runtime *rt)
{
    return __atomic_load_n(&rt->stop_requested, __ATOMIC_ACQUIRE);
}

JRT_API void jrt_stop(jrt_runtime *rt)
{
    jrt_request_stop(rt, "stopped", JRT_RESULT_ABORTED);
}

JRT_API int32_t jrt_status(jrt_runtime *rt) { return atomic_load(&rt->status); }
JRT_API int32_t jrt_result(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    int32_t r = rt->done_signalled ? rt->result : JRT_RESULT_NONE;
    pthread_mutex_unlock(&rt->ctl_lock);
    return r;
}
JRT_API const char *jrt_result_text(jrt_runtime *rt) { return rt->result_text; }

JRT_API void jrt_set_func_names(jrt_runtime *rt, const char *(*name)(uint32_t func_id))
{
    rt->func_name = name;
}

/* --- waiting ------------------------------------------------------------------------ */

static void deadline_after(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) { ts->tv_sec++; ts->tv_nsec -= 1000000000; }
}

JRT_API int jrt_wait(jrt_runtime *rt, int64_t timeout_ms)
{
    if (!rt->started) return JRT_ESTATE;
    struct timespec ts;
    if (timeout_ms >= 0) deadline_after(&ts, timeout_ms);
    pthread_mutex_lock(&rt->ctl_lock);
    while (!rt->done_signalled) {
        if (timeout_ms < 0) pthread_cond_wait(&rt->ctl_cond, &rt->ctl_lock);
        else if (pthread_cond_timedwait(&rt->ctl_cond, &rt->ctl_lock, &ts) != 0) break;
    }
    int done = rt->done_signalled;
    pthread_mutex_unlock(&rt->ctl_lock);
    if (!done) return JRT_ETIMEDOUT;
    if (!rt->joined) {
        pthread_join(rt->supervisor, NULL);
        rt->joined = 1;
    }
    return JRT_OK;
}

JRT_API int jrt_run(jrt_runtime *rt, jrt_task_fn fn, void *arg, uint32_t func_id,
                    jrt_outcome *root)
{
    int rc = jrt_start(rt, fn, arg, func_id);
    if (rc) return -rc;
    jrt_wait(rt, -1);
    if (root) *root = rt->root_outcome;
    return rt->result;
}

/* --- supervisor ------------------------------------------------------------------------ */

static void abandon_workers(jrt_runtime *rt)
{
    atomic_store(&rt->abandon, 1);
    atomic_fetch_add(&rt->park_epoch, 1);
    jrt_futex_wake(&rt->park_epoch, INT32_MAX);
    pthread_mutex_lock(&rt->ctl_lock);
    pthread_cond_broadcast(&rt->ctl_cond);
    pthread_mutex_unlock(&rt->ctl_lock);
    if (rt->det) {
        pthread_kill(rt->driver, JRT_SIG_ABANDON);
    } else {
        for (int i = 0; i < rt->nworkers; i++)
            pthread_kill(rt->workers[i].thread, JRT_SIG_ABANDON);
    }
}

/* Deliver a requested stop: mark the run stopping and cancel everything from the root
 * down. Called by the supervisor (live) or by the deterministic driver between two steps
 * (det), with ctl_lock not held. Idempotent. */
void jrt_deliver_stop(jrt_runtime *rt)
{
    pthread_mutex_lock(&rt->ctl_lock);
    if (atomic_load(&rt->stopping)) { pthread_mutex_unlock(&rt->ctl_lock); return; }
    atomic_store(&rt->stopping, 1);
    atomic_store(&rt->paused, 0);
    atomic_store(&rt->status, JRT_STATUS_STOPPING);
    pthread_cond_broadcast(&rt->ctl_cond);
    pthread_mutex_unlock(&rt->ctl_lock);
    jrt_nursery_cancel_walk(NULL, rt->root_nursery, JRT_REASON_EXPLICIT, -1);
}

static void note_abandoned(jrt_runtime *rt)  /* ctl_lock held */
{
    if (rt->result == JRT_RESULT_NONE || rt->result == JRT_RESULT_ABORTED) {
        rt->result = JRT_RESULT_ABORTED;
        size_t l = strlen(rt->result_text);
        snprintf(rt->result_text + l, sizeof rt->result_text - l,
                 "%s(tasks that never checked for cancellation were abandoned)", l ? " " : "");
    }
}

/* Deterministic mode: the driver delivers stops, measures the grace period in virtual
 * time and abandons by itself (between steps, on its own thread), so a stopped run
 * replays byte for byte. The supervisor only keeps a real-time watchdog for a step that
 * never returns (a task that never switches out, e.g. a C loop without calls): if a
 * stop is pending and the driver has not finished a step for this long, the driver is
 * pulled off that task with the abandon signal, as in live mode. */
static int64_t det_watchdog_ns(jrt_runtime *rt)
{
    int64_t ms = rt->cfg.grace_ms > 200 ? rt->cfg.grace_ms : 200;
    return ms * 1000000;
}

static void *supervise_det(jrt_runtime *rt, int64_t start)
{
    int64_t last_steps = -1, last_change = 0;
    pthread_mutex_lock(&rt->ctl_lock);
    while (!atomic_load(&rt->finished)) {
        if (atomic_load(&rt->abandon)) {  /* the driver abandoned (virtual grace over) */
            note_abandoned(rt);
            break;
        }
        int64_t now = jrt_mono_ns();
        if (rt->stop_requested) {
            int64_t steps = atomic_load_explicit(&rt->det_steps, memory_order_relaxed);
            if (steps != last_steps) {
                last_steps = steps;
                last_change = now;
            } else if (now - last_change > det_watchdog_ns(rt)) {
                pthread_mutex_unlock(&rt->ctl_lock);
                abandon_workers(rt);
                pthread_mutex_lock(&rt->ctl_lock);
                note_abandoned(rt);
                break;
            }
        }
        struct timespec ts;
        deadline_after(&ts, 5);
        pthread_cond_timedwait(&rt->ctl_cond, &rt->ctl_lock, &ts);
    }
    pthread_mutex_unlock(&rt->ctl_lock);
    (void)start;
    return NULL;
}

void *jrt_supervisor_main(void *arg)
{
    jrt_runtime *rt = arg;
    if (jrt_start_workers(rt) != 0) {
        fprintf(stderr, "janusrt: fatal: cannot start worker threads\n");
        abort();
    }
    int64_t start = jrt_mono_ns();
    int64_t stop_at = -1;  /* when the stop was delivered */
    int abandoned = 0;
    if (rt->det) supervise_det(rt, start);
    pthread_mutex_lock(&rt->ctl_lock);
    while (!rt->det && !atomic_load(&rt->finished) && !abandoned) {
        int64_t now = jrt_mono_ns();
        if (!rt->det && rt->cfg.max_run_ms > 0 && !rt->stop_requested &&
            now - start > rt->cfg.max_run_ms * 1000000) {
            __atomic_store_n(&rt->stop_requested, 1, __ATOMIC_RELEASE);
            if (rt->result == JRT_RESULT_NONE) {
                rt->result = JRT_RESULT_ABORTED;
                snprintf(rt->result_text, sizeof rt->result_text, "max_run_ms exceeded");
            }
        }
        if (rt->stop_requested && stop_at < 0) {
            pthread_mutex_unlock(&rt->ctl_lock);
            jrt_deliver_stop(rt);
            pthread_mutex_lock(&rt->ctl_lock);
            stop_at = jrt_mono_ns();
            continue;
        }
        if (stop_at >= 0 && now - stop_at > rt->cfg.grace_ms * 1000000) {
            /* Grace period over: some task never checks. Pull the workers off it. */
            pthread_mutex_unlock(&rt->ctl_lock);
            abandon_workers(rt);
            pthread_mutex_lock(&rt->ctl_lock);
            abandoned = 1;
            note_abandoned(rt);
            break;
        }
        struct timespec ts;
        deadline_after(&ts, 5);
        pthread_cond_timedwait(&rt->ctl_cond, &rt->ctl_lock, &ts);
    }
    pthread_mutex_unlock(&rt->ctl_lock);

    jrt_join_workers(rt);
    rt->run_ns = jrt_mono_ns() - start;
    pthread_mutex_lock(&rt->ctl_lock);
    if (rt->result == JRT_RESULT_NONE) rt->result = JRT_RESULT_ABORTED;
    if (rt->stop_requested && rt->result == JRT_RESULT_OK) rt->result = JRT_RESULT_ABORTED;
    pthread_mutex_unlock(&rt->ctl_lock);
    atomic_store(&rt->paused, 0);
    JRT_EMIT_OUTPUT_TEXT(rt, (jrt_worker *)NULL, JRT_EV_RUN_END, rt->result,
                  (int64_t)jrt_events_dropped(rt), 0, 0, 0, rt->result_text,
                  strlen(rt->result_text));
    pthread_mutex_lock(&rt->ctl_lock);
    atomic_store(&rt->status, JRT_STATUS_FINISHED);
    rt->done_signalled = 1;
    pthread_cond_broadcast(&rt->ctl_cond);
    pthread_mutex_unlock(&rt->ctl_lock);
    return NULL;
}

/* --- statistics -------------------------------------------------------------------- */

JRT_API int64_t jrt_stat(jrt_runtime *rt, int32_t key)
{
    int64_t sum = 0;
    switch (key) {
    case JRT_STAT_TASKS:
        for (int i = 0; i < rt->nworkers; i++) sum += atomic_load(&rt->workers[i].spawned);
        return sum + (rt->root_task ? 1 : 0);
    case JRT_STAT_SWITCHES:
        for (int i = 0; i < rt->nworkers; i++) sum += atomic_load(&rt->workers[i].switches);
        return sum;
    case JRT_STAT_STEALS:
        for (int i = 0; i < rt->nworkers; i++) sum += atomic_load(&rt->workers[i].steals);
        return sum;
    case JRT_STAT_LIVE_TASKS:
        for (int i = 0; i < rt->nworkers; i++)
            sum += atomic_load(&rt->workers[i].spawned) - atomic_load(&rt->workers[i].finished);
        return sum + (rt->root_task ? 1 : 0);
    case JRT_STAT_PEAK_LIVE_TASKS: {   /* spawns keep peak_live (task.c); main alone: 1 */
        int64_t p = atomic_load(&rt->peak_live);
        return p > 0 ? p : rt->root_task ? 1 : 0;
    }
    case JRT_STAT_EVENTS: return (int64_t)atomic_load(&rt->seq);
    case JRT_STAT_DROPPED: return (int64_t)jrt_events_dropped(rt);
    case JRT_STAT_RUN_NS: return rt->run_ns;
    case JRT_STAT_STACK_BYTES:
        return atomic_load(&rt->stacks.total_stacks) * (int64_t)rt->stacks.slot_bytes;
    default: return -1;
    }
}

/* --- signals ------------------------------------------------------------------------- */

static struct sigaction old_segv, old_bus;
static pthread_once_t signals_once = PTHREAD_ONCE_INIT;

static void write_str(const char *s) { if (write(2, s, strlen(s)) < 0) { /* ignore */ } }

static void chain(struct sigaction *old, int sig, siginfo_t *si, void *uc)
{
    if (old->sa_flags & SA_SIGINFO) {
        if (old->sa_sigaction) { old->sa_sigaction(sig, si, uc); return; }
    } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
        return;
    }
    /* Default action: reinstall it and return; the faulting access happens again. */
    signal(sig, SIG_DFL);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    jrt_worker *w = jrt_worker_self();
    jrt_task *t = w ? w->current : NULL;
    if (t && t->stack && jrt_stack_guard_hit(&w->rt->stacks, t->stack, si->si_addr)) {
        char msg[320];
        const char *name = w->rt->func_name ? w->rt->func_name(t->func_id) : NULL;
        snprintf(msg, sizeof msg,
                 "janusrt: fatal: stack overflow in task %s#%lld (func %u) on worker %d: "
                 "its %zu KB fiber stack is exhausted (guard page hit at %p); "
                 "run with a larger stack_kb\n",
                 name ? name : "task", (long long)t->id, t->func_id, w->id,
                 w->rt->stacks.usable_bytes / 1024, si->si_addr);
        write_str(msg);
        _exit(134);
    }
    chain(sig == SIGSEGV ? &old_segv : &old_bus, sig, si, uc);
}

static void on_abandon(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)si; (void)uc;
    jrt_worker *w = jrt_worker_self();
    if (!w || !atomic_load(&w->rt->abandon) || !w->current) return;
    /* Leave the fiber for good: back to the worker loop, which sees `abandon` and exits.
     * The fiber's stack and control block are reclaimed with the runtime. */
    jrt_task *t = w->current;
    w->out = JRT_OUT_ABANDON;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, JRT_SIG_ABANDON);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
#ifdef JRT_SANITIZE_ADDRESS
    __sanitizer_start_switch_fiber(NULL, w->stack_lo, w->stack_size);
#endif
#ifdef JRT_SANITIZE_THREAD
    __tsan_switch_to_fiber(w->tsan_fiber, 0);
#endif
    jrt_switch(&t->stack->ctx, &w->sched_ctx);
}

static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    sa.sa_sigaction = on_abandon;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(JRT_SIG_ABANDON, &sa, NULL);
}

int jrt_control_install_signals(void)
{
    pthread_once(&signals_once, install);
    return 0;
}

void jrt_signals_thread_init(jrt_worker *w)
{
    stack_t ss;
    w->altstack = malloc(ALTSTACK_BYTES);
    if (!w->altstack) return;
    ss.ss_sp = w->altstack;
    ss.ss_size = ALTSTACK_BYTES;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
}

void jrt_signals_thread_fini(jrt_worker *w)
{
    if (!w->altstack) return;
    stack_t ss = { .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
    sigaltstack(&ss, NULL);
    free(w->altstack);
    w->altstack = NULL;
}
