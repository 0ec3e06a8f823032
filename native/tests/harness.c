/*
 * harness.c — see harness.h.
 */
#include "harness.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

int harness_checks;

__attribute__((constructor)) static void line_buffered(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

jrt_config test_config(int workers, int det, int64_t seed)
{
    jrt_config c;
    jrt_config_init(&c);
    c.workers = workers;
    c.mode = det ? JRT_MODE_DETERMINISTIC : JRT_MODE_LIVE;
    c.seed = seed;
    c.events = JRT_EVENTS_ON;
    c.ring_kb = 4096;
    return c;
}

typedef struct reader { jrt_runtime *rt; trace *tr; } reader;

static void drain(jrt_runtime *rt, trace *tr)
{
    for (;;) {
        if (tr->cap - tr->len < (1 << 16)) {
            tr->cap = tr->cap ? tr->cap * 2 : (1 << 20);
            tr->buf = realloc(tr->buf, tr->cap);
        }
        int64_t n = jrt_events_read(rt, tr->buf + tr->len, (int64_t)(tr->cap - tr->len));
        if (n <= 0) return;
        tr->len += (size_t)n;
    }
}

static void *reader_main(void *p)
{
    reader *r = p;
    while (jrt_status(r->rt) != JRT_STATUS_FINISHED) {
        drain(r->rt, r->tr);
        nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    drain(r->rt, r->tr);
    return NULL;
}

int run_traced(const jrt_config *cfg, jrt_task_fn fn, void *arg, trace *tr, jrt_outcome *root,
               jrt_runtime **keep)
{
    memset(tr, 0, sizeof *tr);
    jrt_runtime *rt = jrt_create(cfg);
    if (!rt) { printf("not ok - jrt_create failed\n"); exit(1); }
    reader r = { rt, tr };
    pthread_t th;
    if (cfg->events) pthread_create(&th, NULL, reader_main, &r);
    int res = jrt_run(rt, fn, arg, 0, root);
    if (cfg->events) pthread_join(th, NULL);
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) tr->count++;
    if (root && root->text && !keep) {  /* the text dies with the runtime: keep a copy */
        static char copy[512];
        snprintf(copy, sizeof copy, "%s", root->text);
        root->text = copy;
    }
    if (keep) *keep = rt;
    else jrt_destroy(rt);
    return res;
}

void trace_free(trace *tr)
{
    free(tr->buf);
    memset(tr, 0, sizeof *tr);
}

jrt_event *trace_first(const trace *tr)
{
    return tr->len ? (jrt_event *)tr->buf : NULL;
}

jrt_event *trace_next(const trace *tr, jrt_event *e)
{
    char *n = (char *)e + e->size;
    return n < tr->buf + tr->len ? (jrt_event *)n : NULL;
}

size_t trace_count_kind(const trace *tr, int kind)
{
    size_t n = 0;
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) n += e->kind == kind;
    return n;
}

jrt_event *trace_find(const trace *tr, int kind, int64_t a)
{
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e))
        if (e->kind == kind && (a < -1000 || e->a == a)) return e;
    return NULL;
}

void trace_dump(const trace *tr, FILE *f)
{
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e))
        fprintf(f, "%6llu t=%-10lld w=%-2d %-15s a=%lld b=%lld c=%lld d=%d e=%d %.*s\n",
                (unsigned long long)e->seq, (long long)e->t, e->w, jrt_event_kind_name(e->kind),
                (long long)e->a, (long long)e->b, (long long)e->c, e->d, e->e,
                (int)e->text_len, event_text(e));
}

/* --- invariant checker ------------------------------------------------------------------ */

enum { F_SPAWNED = 1, F_DONE = 2, F_RAN = 4, F_MUST_CANCEL = 8, F_MUST_NOT_RUN = 16 };

typedef struct tinfo { int flags; int64_t nursery; int running_on; } tinfo;
typedef struct ninfo { int64_t owner; int open, closed, live; int failed; const char *err; int errlen; } ninfo;

static char msgbuf[512];
#define FAIL(...) do { snprintf(msgbuf, sizeof msgbuf, __VA_ARGS__); goto out; } while (0)

/* Mark every live task in nursery n, and recursively in nurseries those tasks own. */
static void mark_subtree(tinfo *T, ninfo *N, int64_t maxt, int64_t maxn, int64_t n)
{
    for (int64_t t = 0; t < maxt; t++) {
        if (!(T[t].flags & F_SPAWNED) || (T[t].flags & F_DONE) || T[t].nursery != n) continue;
        if (T[t].flags & F_MUST_CANCEL) continue;
        T[t].flags |= F_MUST_CANCEL;
        if (!(T[t].flags & F_RAN)) T[t].flags |= F_MUST_NOT_RUN;
        for (int64_t m = 0; m < maxn; m++)
            if (N[m].open && !N[m].closed && N[m].owner == t) mark_subtree(T, N, maxt, maxn, m);
    }
}

const char *check_invariants(const trace *tr, int det)
{
    /* A live run whose rings overflowed lost events (they take no seq, so the gap cannot
     * be seen): its trace is incomplete and the invariants cannot be judged on it. In
     * deterministic mode nothing may ever be dropped. */
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) {
        if (e->kind != JRT_EV_RUN_END || e->b == 0) continue;
        if (det) return "deterministic run dropped events";
        return NULL;
    }
    int64_t maxt = 1, maxn = 1;
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) {
        if (e->kind == JRT_EV_TASK_SPAWN && e->a + 1 > maxt) maxt = e->a + 1;
        if (e->kind == JRT_EV_NURSERY_OPEN && e->a + 1 > maxn) maxn = e->a + 1;
    }
    tinfo *T = calloc((size_t)maxt, sizeof *T);
    ninfo *N = calloc((size_t)maxn, sizeof *N);
    int64_t lastt[65];
    int64_t cur[65];  /* task running on worker w, -1 none */
    for (int i = 0; i < 65; i++) { lastt[i] = INT64_MIN; cur[i] = -1; }
    const char *res = NULL;
    uint64_t expect = 0;
    jrt_event *last = NULL;
    for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) {
        last = e;
        int w = e->w < 0 ? 64 : e->w;
        if (e->seq != expect) FAIL("7: seq gap: expected %llu got %llu", (unsigned long long)expect,
                                   (unsigned long long)e->seq);
        expect++;
        if (e->t < lastt[w]) FAIL("7: time went back on worker %d at seq %llu", e->w,
                                  (unsigned long long)e->seq);
        lastt[w] = e->t;
        if (e->seq == 0 && e->kind != JRT_EV_RUN_START) FAIL("first event is not run_start");
        switch (e->kind) {
        case JRT_EV_NURSERY_OPEN:
            N[e->a].open = 1;
            N[e->a].owner = e->b;
            break;
        case JRT_EV_TASK_SPAWN:
            if (T[e->a].flags & F_SPAWNED) FAIL("1: task %lld spawned twice", (long long)e->a);
            T[e->a].flags = F_SPAWNED;
            T[e->a].nursery = e->c;
            T[e->a].running_on = -1;
            if (e->c >= maxn || !N[e->c].open || N[e->c].closed)
                FAIL("task %lld spawned into a nursery that is not open", (long long)e->a);
            N[e->c].live++;
            break;
        case JRT_EV_TASK_RUN: {
            tinfo *t = &T[e->a];
            if (!(t->flags & F_SPAWNED) || (t->flags & F_DONE)) FAIL("task_run of a task not alive");
            if (t->flags & F_MUST_NOT_RUN)
                FAIL("5: task %lld runs although cancelled before it ran", (long long)e->a);
            if (t->running_on >= 0) FAIL("2: task %lld runs on two workers", (long long)e->a);
            if (cur[w] >= 0) FAIL("2: worker %d runs %lld while %lld is running", e->w,
                                  (long long)e->a, (long long)cur[w]);
            t->running_on = w;
            t->flags |= F_RAN;
            cur[w] = e->a;
            break;
        }
        case JRT_EV_TASK_YIELD:
        case JRT_EV_TASK_BLOCK:
            if (T[e->a].running_on != w) FAIL("2: %s of task %lld not running on worker %d",
                                              jrt_event_kind_name(e->kind), (long long)e->a, e->w);
            T[e->a].running_on = -1;
            cur[w] = -1;
            break;
        case JRT_EV_CANCEL_REQUEST:
            if (e->a == 1) mark_subtree(T, N, maxt, maxn, e->b);
            else if (e->b < maxt && !(T[e->b].flags & F_DONE)) {
                int64_t tid = e->b;
                T[tid].flags |= F_MUST_CANCEL;
                if (!(T[tid].flags & F_RAN)) T[tid].flags |= F_MUST_NOT_RUN;
                for (int64_t m = 0; m < maxn; m++)
                    if (N[m].open && !N[m].closed && N[m].owner == tid) mark_subtree(T, N, maxt, maxn, m);
            }
            break;
        case JRT_EV_TASK_DONE: {
            tinfo *t = &T[e->a];
            if (!(t->flags & F_SPAWNED)) FAIL("1: task_done before task_spawn of %lld", (long long)e->a);
            if (t->flags & F_DONE) FAIL("1: task %lld done twice", (long long)e->a);
            if (t->running_on >= 0 && t->running_on != w) FAIL("2: done on another worker");
            if (t->running_on >= 0) cur[w] = -1;
            t->running_on = -1;
            t->flags |= F_DONE;
            if ((t->flags & F_MUST_CANCEL) && e->b != JRT_OUTCOME_CANCELLED && e->c != 1)
                FAIL("4: task %lld in a cancelled subtree ends %lld without cancel_requested",
                     (long long)e->a, (long long)e->b);
            for (int64_t m = 0; m < maxn; m++)
                if (N[m].open && !N[m].closed && N[m].owner == e->a)
                    FAIL("3: task %lld done while its nursery %lld is open", (long long)e->a, (long long)m);
            ninfo *n = &N[t->nursery];
            n->live--;
            if (e->b == JRT_OUTCOME_ERROR && !n->failed) {
                n->failed = 1;
                n->err = event_text(e);
                n->errlen = (int)e->text_len;
            }
            break;
        }
        case JRT_EV_NURSERY_CLOSE: {
            ninfo *n = &N[e->a];
            if (!n->open || n->closed) FAIL("nursery %lld closed twice or never opened", (long long)e->a);
            if (n->live != 0) FAIL("3: nursery %lld closes with %d live children", (long long)e->a, n->live);
            n->closed = 1;
            if (n->failed && (e->b != JRT_OUTCOME_ERROR || (int)e->text_len != n->errlen ||
                              memcmp(event_text(e), n->err, (size_t)n->errlen) != 0))
                FAIL("6: nursery %lld had a failed child but closes with outcome %lld '%.*s'",
                     (long long)e->a, (long long)e->b, (int)e->text_len, event_text(e));
            break;
        }
        case JRT_EV_RUN_END:
            if (det && e->b != 0) FAIL("deterministic run dropped %lld events", (long long)e->b);
            break;
        default:
            break;
        }
    }
    if (!last || last->kind != JRT_EV_RUN_END) FAIL("last event is not run_end");
    {
        jrt_event *end = last;
        if (end->a == JRT_RESULT_OK) {
            for (int64_t t = 0; t < maxt; t++)
                if ((T[t].flags & F_SPAWNED) && !(T[t].flags & F_DONE))
                    FAIL("1: task %lld has no task_done", (long long)t);
        }
    }
out:
    if (msgbuf[0]) res = msgbuf;
    free(T);
    free(N);
    return res;
}
