/* test_nursery.c — every rule of LANGUAGE.md §6.2–6.4 as a C program on the task API,
 * each run in live mode and in deterministic mode, each trace checked against the
 * TRACE.md §2 invariants. */
#include <stdatomic.h>
#include <string.h>

#include "harness.h"

static int MODE;  /* 0 live, 1 det */
static atomic_int flag[128];

static void reset(void) { for (int i = 0; i < 128; i++) atomic_store(&flag[i], 0); }

static int WORKERS = 2;
static jrt_outcome run_case(const char *name, jrt_task_fn fn, trace *tr)
{
    jrt_config c = test_config(WORKERS, MODE, 11);
    jrt_outcome root;
    reset();
    run_traced(&c, fn, NULL, tr, &root, NULL);
    const char *inv = check_invariants(tr, MODE);
    if (inv) trace_dump(tr, stdout);
    CHECK(!inv, "[%s] %s: trace invariants hold%s%s", MODE ? "det" : "live", name,
          inv ? ": " : "", inv ? inv : "");
    return root;
}

/* --- tasks used below ----------------------------------------------------------------- */

static jrt_outcome sleep_then_flag(void *arg)
{
    int i = (int)(intptr_t)arg;
    if (jrt_sleep(5 + i) == JRT_ECANCELLED) return cancelled_value();
    atomic_store(&flag[i], 1);
    return ok_value((uint64_t)i);
}

static jrt_outcome fail_soon(void *arg)
{
    (void)arg;
    jrt_sleep(1);
    return err_value("Test.Boom");
}

static jrt_outcome fail_later(void *arg)
{
    (void)arg;
    jrt_sleep(3);
    return err_value("Test.Later");
}

static jrt_outcome sleep_long(void *arg)
{
    int i = (int)(intptr_t)arg;
    int rc = jrt_sleep(100000);
    atomic_store(&flag[i], rc == JRT_ECANCELLED ? 2 : 1);
    return rc == JRT_ECANCELLED ? cancelled_value() : ok_value(0);
}

static jrt_outcome set_flag(void *arg)
{
    atomic_store(&flag[(intptr_t)arg], 1);
    return ok_value(7);
}

/* --- 6.3: a nursery's end waits for every child ----------------------------------- */

static jrt_outcome main_join_waits(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    for (int i = 0; i < 5; i++) jrt_spawn(n, sleep_then_flag, (void *)(intptr_t)i, 1, NULL);
    jrt_outcome o;
    int rc = jrt_nursery_join(n, &o);
    int all = 1;
    for (int i = 0; i < 5; i++) all &= atomic_load(&flag[i]);
    jrt_nursery_release(n);
    return ok_value(rc == 0 && o.kind == JRT_OUTCOME_OK && all);
}

/* --- 6.3: failure cancels siblings, first error kept, later errors dropped ------- */

static jrt_outcome main_failure(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    jrt_spawn(n, sleep_long, (void *)(intptr_t)1, 1, NULL);
    jrt_spawn(n, sleep_long, (void *)(intptr_t)2, 1, NULL);
    jrt_spawn(n, fail_soon, NULL, 2, NULL);
    jrt_outcome o;
    int rc = jrt_nursery_join(n, &o);
    int ok = rc == 0 && o.kind == JRT_OUTCOME_ERROR && o.text && strcmp(o.text, "Test.Boom") == 0;
    ok &= atomic_load(&flag[1]) != 1 && atomic_load(&flag[2]) != 1;
    ok &= jrt_nursery_is_cancelled(n);
    jrt_nursery_release(n);
    return ok_value(ok);
}

/* Two failures: the first is raised, the second only recorded. A sibling that never
 * reaches a checkpoint is not stopped (it completes, cancel_requested in the trace). */
static jrt_outcome busy_no_check(void *arg)
{
    (void)arg;
    int64_t until = jrt_now_ns() + 20000000;  /* 20 ms of "work" without checking */
    volatile long x = 0;
    while (jrt_now_ns() < until) { x++; jrt_charge(1); }  /* like the VM: budget yields only */
    atomic_store(&flag[9], 1);
    return ok_value(5);
}
static jrt_outcome main_two_failures(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    jrt_spawn(n, fail_later, NULL, 2, NULL);
    jrt_spawn(n, fail_soon, NULL, 2, NULL);
    jrt_outcome o;
    jrt_nursery_join(n, &o);
    /* det: the earlier failure wins; live (slow sanitizer builds) may reorder the two;
     * the trace checker verifies the raised one is the first in the trace either way */
    int ok = o.kind == JRT_OUTCOME_ERROR &&
             (strcmp(o.text, "Test.Boom") == 0 || (!MODE && strcmp(o.text, "Test.Later") == 0));
    jrt_nursery_release(n);
    return ok_value(ok);
}

/* --- 6.3: the owner's own error leaving the block still joins ------------------------ */

static jrt_outcome main_owner_error(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    jrt_spawn(n, sleep_long, (void *)(intptr_t)3, 1, NULL);
    jrt_spawn(n, sleep_long, (void *)(intptr_t)4, 1, NULL);
    jrt_outcome o;
    int rc = jrt_nursery_join_error(n, "Test.Owner", &o);
    int ok = rc == 0 && atomic_load(&flag[3]) != 1 && atomic_load(&flag[4]) != 1;
    if (!ok) printf("# owner_error rc=%d f3=%d f4=%d\n", rc, atomic_load(&flag[3]), atomic_load(&flag[4]));
    jrt_nursery_release(n);
    return ok ? err_value("Test.Owner") : ok_value(0);
}

/* --- 6.3: explicit n.cancel(): children cancelled, block ends normally ------------- */

static jrt_outcome main_explicit_cancel(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    for (int i = 0; i < 4; i++) jrt_spawn(n, sleep_long, (void *)(intptr_t)(10 + i), 1, NULL);
    jrt_sleep(2);
    jrt_nursery_cancel(n);
    jrt_nursery_cancel(n);  /* twice: no-op */
    int after = jrt_spawn(n, set_flag, (void *)(intptr_t)20, 1, NULL);
    jrt_outcome o;
    int rc = jrt_nursery_join(n, &o);
    int ok = rc == 0 && o.kind == JRT_OUTCOME_OK && jrt_nursery_is_cancelled(n);
    for (int i = 0; i < 4; i++) ok &= atomic_load(&flag[10 + i]) != 1;
    ok &= after == JRT_ECANCELLED && atomic_load(&flag[20]) == 0;
    jrt_nursery_release(n);
    return ok_value(ok);
}

/* --- 6.3: spawn limits --------------------------------------------------------------- */

static jrt_outcome main_limits(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    int rcs[4];
    for (int i = 0; i < 4; i++) rcs[i] = jrt_spawn(n, sleep_then_flag, (void *)(intptr_t)i, 1, NULL);
    jrt_nursery_join(n, NULL);
    jrt_nursery_release(n);
    /* max_total_tasks is 6 here: main + 3 above; 2 more fit, then ETASKLIMIT */
    int a = jrt_spawn(NULL, set_flag, (void *)(intptr_t)30, 1, NULL);
    int b = jrt_spawn(NULL, set_flag, (void *)(intptr_t)31, 1, NULL);
    int c = jrt_spawn(NULL, set_flag, (void *)(intptr_t)32, 1, NULL);
    int ok = rcs[0] == 0 && rcs[1] == 0 && rcs[2] == 0 && rcs[3] == JRT_ESPAWNLIMIT;
    ok &= a == 0 && b == 0 && c == JRT_ETASKLIMIT;
    return ok_value(ok);
}

/* --- 6.4: cancel(h) reaches the whole subtree ------------------------------------------ */

static jrt_outcome mid_level(void *arg)
{
    (void)arg;
    jrt_spawn(NULL, sleep_long, (void *)(intptr_t)40, 1, NULL);
    jrt_nursery *n;
    jrt_nursery_open(&n);
    jrt_spawn(n, sleep_long, (void *)(intptr_t)41, 1, NULL);
    int rc = jrt_nursery_join(n, NULL);  /* checkpoint: raises Cancelled after joining */
    jrt_nursery_release(n);
    atomic_store(&flag[42], rc == JRT_ECANCELLED ? 2 : 1);
    return rc == JRT_ECANCELLED ? cancelled_value() : ok_value(0);
}

static jrt_outcome main_cancel_subtree(void *arg)
{
    (void)arg;
    jrt_task *h;
    jrt_spawn(NULL, mid_level, NULL, 3, &h);
    jrt_sleep(3);
    jrt_cancel(h);
    jrt_outcome o, o2;
    int rc = jrt_await(h, &o);
    int rc2 = jrt_await(h, &o2);  /* same outcome again */
    int ok = rc == 0 && o.kind == JRT_OUTCOME_CANCELLED && rc2 == 0 && o2.kind == o.kind;
    ok &= atomic_load(&flag[40]) != 1 && atomic_load(&flag[41]) != 1 && atomic_load(&flag[42]) != 1;
    jrt_task_release(h);
    return ok_value(ok);
}

/* --- 6.4: a task cancelled before it ran never runs its body ------------------------- */

static jrt_outcome main_cancel_before_run(void *arg)
{
    (void)arg;
    jrt_task *h;
    jrt_spawn(NULL, set_flag, (void *)(intptr_t)50, 1, &h);
    jrt_cancel(h);  /* the child is still queued: no switch happened since the spawn */
    jrt_outcome o;
    jrt_await(h, &o);
    int ok = o.kind == JRT_OUTCOME_CANCELLED && atomic_load(&flag[50]) == 0;
    jrt_task_release(h);
    return ok_value(ok);
}

/* --- 6.4: polling; returning normally after a cancel keeps the value ------------------ */

static int64_t poller_id;
static _Atomic int poller_started;
static jrt_outcome poller(void *arg)
{
    (void)arg;
    poller_started = 1;
    while (!jrt_is_cancelled()) jrt_charge(1);  /* polls only: no checkpoint */
    return ok_value((uint64_t)-1);
}

static jrt_outcome main_poll(void *arg)
{
    (void)arg;
    jrt_task *h;
    poller_started = 0;
    jrt_spawn(NULL, poller, NULL, 4, &h);
    poller_id = jrt_task_id_of(h);
    /* cancel only once the poller runs: a task cancelled before it ran never runs (6.4),
       which is another test's subject */
    while (!poller_started) jrt_sleep(1);
    jrt_cancel(h);
    jrt_outcome o;
    jrt_await(h, &o);
    int ok = o.kind == JRT_OUTCOME_OK && o.value == (uint64_t)-1;
    jrt_task_release(h);
    return ok_value(ok);
}

/* --- 6.4: a checkpoint in a cancelled task raises at once; never-checking task ends ok */

static jrt_outcome self_cancel(void *arg)
{
    (void)arg;
    jrt_cancel(jrt_current_task());
    int64_t t0 = jrt_now_ns();
    int rc = jrt_sleep(100000);
    int rc2 = jrt_yield();
    int ok = rc == JRT_ECANCELLED && rc2 == JRT_ECANCELLED && jrt_now_ns() - t0 < 1000000000;
    atomic_store(&flag[60], ok ? 1 : 2);
    return cancelled_value();
}

static int64_t busy_id;
static jrt_outcome main_checkpoint(void *arg)
{
    (void)arg;
    jrt_task *h, *b;
    jrt_spawn(NULL, self_cancel, NULL, 5, &h);
    jrt_spawn(NULL, busy_no_check, NULL, 6, &b);
    busy_id = jrt_task_id_of(b);
    jrt_sleep(1);
    jrt_cancel(b);
    jrt_outcome o, ob;
    jrt_await(h, &o);
    jrt_await(b, &ob);
    int ok = atomic_load(&flag[60]) == 1 && o.kind == JRT_OUTCOME_CANCELLED;
    ok &= ob.kind == JRT_OUTCOME_OK && ob.value == 5 && atomic_load(&flag[9]) == 1;
    jrt_task_release(h);
    jrt_task_release(b);
    return ok_value(ok);
}

/* --- 6.2: await of failed / cancelled tasks, await_any ----------------------------- */

static jrt_outcome main_await(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    jrt_task *hs[3];
    jrt_spawn(n, sleep_long, (void *)(intptr_t)70, 1, &hs[0]);
    jrt_spawn(n, sleep_then_flag, (void *)(intptr_t)3, 1, &hs[1]);  /* 8 ms */
    jrt_spawn(n, sleep_long, (void *)(intptr_t)71, 1, &hs[2]);
    int32_t idx = -1;
    int rc = jrt_await_any(hs, 3, &idx);
    int ok = rc == 0 && idx == 1;
    jrt_nursery_cancel(n);
    jrt_outcome o;
    jrt_await(hs[0], &o);
    ok &= o.kind == JRT_OUTCOME_CANCELLED;
    jrt_nursery_join(n, NULL);
    jrt_nursery_release(n);
    for (int i = 0; i < 3; i++) jrt_task_release(hs[i]);
    jrt_task *f;
    jrt_nursery_open(&n);
    jrt_spawn(n, fail_soon, NULL, 2, &f);
    jrt_await(f, &o);
    ok &= o.kind == JRT_OUTCOME_ERROR && strcmp(o.text, "Test.Boom") == 0;
    jrt_outcome j;
    jrt_nursery_join(n, &j);  /* the failure is raised by the nursery end as well */
    ok &= j.kind == JRT_OUTCOME_ERROR;
    jrt_nursery_release(n);
    jrt_task_release(f);
    return ok_value(ok);
}

/* --- 6.1: implicit body nursery: a child's error becomes the parent's ----------------- */

static jrt_outcome parent_with_failing_child(void *arg)
{
    (void)arg;
    jrt_spawn(NULL, sleep_long, (void *)(intptr_t)80, 1, NULL);
    jrt_spawn(NULL, fail_soon, NULL, 2, NULL);
    return ok_value(1);  /* returns at once; its body nursery still joins */
}

static int implicit_ok;
static jrt_outcome main_implicit(void *arg)
{
    (void)arg;
    jrt_task *h;
    jrt_spawn(NULL, parent_with_failing_child, NULL, 8, &h);
    jrt_outcome o;
    jrt_await(h, &o);
    int ok = o.kind == JRT_OUTCOME_ERROR && strcmp(o.text, "Test.Boom") == 0 &&
             atomic_load(&flag[80]) != 1;
    jrt_task_release(h);
    implicit_ok = ok;
    return ok_value(ok);  /* ...but main's own body nursery re-raises the child's error */
}

/* An error escaping main ends the run with result ERROR. */
static jrt_outcome main_fails(void *arg)
{
    (void)arg;
    jrt_spawn(NULL, sleep_long, (void *)(intptr_t)81, 1, NULL);
    return err_value("Test.MainFailed");
}

int main(void)
{
    for (MODE = 0; MODE <= 1; MODE++) {
        const char *m = MODE ? "det" : "live";
        trace tr;
        jrt_outcome r;

        r = run_case("join waits", main_join_waits, &tr);
        CHECK(r.value == 1, "[%s] nursery end waits for all 5 children", m);
        trace_free(&tr);

        r = run_case("failure", main_failure, &tr);
        CHECK(r.value == 1, "[%s] failed child cancels siblings; join raises the first error", m);
        jrt_event *e = trace_find(&tr, JRT_EV_CANCEL_REQUEST, JRT_TARGET_NURSERY);
        CHECK(e && e->d == JRT_REASON_FAILURE, "[%s] cancel_request reason failure", m);
        trace_free(&tr);

        r = run_case("two failures", main_two_failures, &tr);
        CHECK(r.value == 1, "[%s] first error kept, later one dropped", m);
        trace_free(&tr);

        r = run_case("owner error", main_owner_error, &tr);
        CHECK(r.kind == JRT_OUTCOME_ERROR, "[%s] owner's error leaves the block after joining", m);
        for (e = trace_first(&tr); e; e = trace_next(&tr, e))
            if (e->kind == JRT_EV_NURSERY_CLOSE && e->a != 0) break;
        CHECK(e && e->b == JRT_OUTCOME_ERROR && strncmp(event_text(e), "Test.Owner", 10) == 0,
              "[%s] nursery closes with the owner's error", m);
        trace_free(&tr);

        r = run_case("explicit cancel", main_explicit_cancel, &tr);
        CHECK(r.value == 1, "[%s] n.cancel(): children cancelled, end is normal, spawn after raises", m);
        size_t nreq = 0;
        for (e = trace_first(&tr); e; e = trace_next(&tr, e))
            nreq += e->kind == JRT_EV_CANCEL_REQUEST && e->a == JRT_TARGET_NURSERY &&
                    e->d == JRT_REASON_EXPLICIT;
        CHECK(nreq == 1, "[%s] cancelling twice is a no-op (1 request)", m);
        trace_free(&tr);

        {
            jrt_config c = test_config(2, MODE, 3);
            c.max_tasks_per_nursery = 3;
            c.max_total_tasks = 6;
            jrt_outcome root;
            reset();
            run_traced(&c, main_limits, NULL, &tr, &root, NULL);
            const char *inv = check_invariants(&tr, MODE);
            CHECK(!inv, "[%s] limits: invariants %s", m, inv ? inv : "hold");
            CHECK(root.value == 1, "[%s] SpawnLimit per nursery and per run", m);
            trace_free(&tr);
        }

        r = run_case("cancel subtree", main_cancel_subtree, &tr);
        CHECK(r.value == 1, "[%s] cancel(h) reaches children and grandchildren; await gives Cancelled twice", m);
        trace_free(&tr);

        WORKERS = 1;  /* live with 2 workers, a thief could legitimately run it first */
        r = run_case("cancel before run", main_cancel_before_run, &tr);
        WORKERS = 2;
        CHECK(r.value == 1, "[%s] a task cancelled before it ran never runs", m);
        e = trace_find(&tr, JRT_EV_TASK_RUN, 1);
        CHECK(e == NULL, "[%s] no task_run for it", m);
        trace_free(&tr);

        r = run_case("poll", main_poll, &tr);
        CHECK(r.value == 1, "[%s] polling task returns its value after a cancel", m);
        e = trace_find(&tr, JRT_EV_CANCEL_OBSERVE, poller_id);
        CHECK(e && e->b == JRT_HOW_POLL, "[%s] cancel_observe how=poll", m);
        trace_free(&tr);

        r = run_case("checkpoint", main_checkpoint, &tr);
        CHECK(r.value == 1, "[%s] checkpoints raise at once; a never-checking task completes", m);
        e = trace_find(&tr, JRT_EV_TASK_DONE, busy_id);
        if (!(e && e->c == 1)) { printf("# busy id %lld\n", (long long)busy_id); trace_dump(&tr, stdout); }
        CHECK(e && e->b == JRT_OUTCOME_OK && e->c == 1, "[%s] ...with cancel_requested=true", m);
        trace_free(&tr);

        r = run_case("await", main_await, &tr);
        CHECK(r.value == 1, "[%s] await_any index, await of cancelled and failed tasks", m);
        trace_free(&tr);

        r = run_case("implicit", main_implicit, &tr);
        CHECK(implicit_ok == 1, "[%s] body nursery joins at return; child error becomes the task's", m);
        CHECK(r.kind == JRT_OUTCOME_ERROR && strcmp(r.text, "Test.Boom") == 0,
              "[%s] ...and propagates through main's body nursery too", m);
        trace_free(&tr);

        {
            jrt_config c = test_config(2, MODE, 5);
            jrt_outcome root;
            int res = run_traced(&c, main_fails, NULL, &tr, &root, NULL);
            CHECK(res == JRT_RESULT_ERROR && root.kind == JRT_OUTCOME_ERROR &&
                  atomic_load(&flag[81]) != 1, "[%s] an error escaping main: result error, children cancelled", m);
            const char *inv = check_invariants(&tr, MODE);
            CHECK(!inv, "[%s] main fails: invariants %s", m, inv ? inv : "hold");
            trace_free(&tr);
        }
    }
    return 0;
}
