/*
 * test_vm.c — run every checked-in module of tests/vm/modules on the real runtime and
 * check its output, its result and the trace.
 *
 * Each NAME.jbc has a NAME.expect (written by tests/vm/regen.sh from the program's
 * comments): `# result ok|error|aborted [TEXT]`, optional `# config KEY=VALUE...` and
 * `# modes det live`, then the exact expected stdout. Every module runs in
 * deterministic mode (1, 2 and 4 workers, two seeds) and live mode (2 and 4 workers);
 * for each run: stdout, result (and error text), and the TRACE.md §2 invariants. One more
 * live run records output events only (JRT_EVENTS_OUTPUT, as `janus-lab run` without a
 * trace): stdout, result and that no scheduling event was written.
 * One deterministic configuration runs twice and must give a byte-identical trace.
 *
 * Modules listed in tests/vm/known_issues.txt (with the reason) skip live mode or the
 * determinism re-run: each line there is an issue reported to its owner, not a VM bug.
 *
 *   build/tests/vm/test_vm [FILTER]     run modules whose name contains FILTER
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "janusrt.h"
#include "janusvm.h"

#define MODDIR "tests/vm/modules"
#define RUN_TIMEOUT_MS 20000

typedef struct Expect {
    int result;            /* JRT_RESULT_* */
    char text[256];        /* error text that must appear in the result text */
    char config[256];      /* KEY=VALUE... */
    int det, live;         /* modes */
    char *out;             /* expected stdout */
} Expect;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
    b[n] = 0;
    fclose(f);
    if (len) *len = (size_t)n;
    return b;
}

static int parse_expect(const char *path, Expect *e)
{
    memset(e, 0, sizeof *e);
    e->det = e->live = 1;
    char *s = slurp(path, NULL);
    if (!s) return -1;
    char *p = s;
    while (*p == '#') {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        if (!strncmp(p, "# result ", 9)) {
            char *r = p + 9;
            if (!strncmp(r, "ok", 2)) e->result = JRT_RESULT_OK;
            else if (!strncmp(r, "error", 5)) {
                e->result = JRT_RESULT_ERROR;
                if (r[5] == ' ') snprintf(e->text, sizeof e->text, "%s", r + 6);
            } else e->result = JRT_RESULT_ABORTED;
        } else if (!strncmp(p, "# config ", 9)) {
            snprintf(e->config, sizeof e->config, "%s", p + 9);
        } else if (!strncmp(p, "# modes ", 8)) {
            e->det = strstr(p, "det") != NULL;
            e->live = strstr(p, "live") != NULL;
        }
        if (!nl) { p += strlen(p); break; }
        p = nl + 1;
    }
    e->out = strdup(p);
    free(s);
    return 0;
}

static int64_t stop_after_ms;

static void apply_config(jrt_config *c, const char *cfg)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", cfg);
    stop_after_ms = -1;
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        if (!eq) continue;
        *eq = 0;
        int64_t v = atoll(eq + 1);
        if (!strcmp(tok, "max_run_ms")) c->max_run_ms = v;
        else if (!strcmp(tok, "task_memory")) c->task_memory = v;
        else if (!strcmp(tok, "max_tasks_per_nursery")) c->max_tasks_per_nursery = v;
        else if (!strcmp(tok, "max_total_tasks")) c->max_total_tasks = v;
        else if (!strcmp(tok, "quantum")) c->quantum = v;
        else if (!strcmp(tok, "stop_after_ms")) stop_after_ms = v;
    }
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

typedef struct RunResult {
    int result;
    char text[512];
    char *out;
    size_t out_len;
    trace tr;
    int timed_out;
} RunResult;

/* events: JRT_EVENTS_ON, or JRT_EVENTS_OUTPUT as `janus-lab run` without a trace */
static void run_once(const uint8_t *bytes, size_t len, const Expect *e, int det, int workers,
                     int64_t seed, int64_t events, RunResult *r)
{
    memset(r, 0, sizeof *r);
    char err[256];
    jvm_module *m = jvm_module_load(bytes, (int64_t)len, err, sizeof err);
    if (!m) CHECK(0, "module loads (%s)", err);
    jrt_config c = test_config(workers, det, seed);
    apply_config(&c, e->config);
    c.events = events;
    jrt_runtime *rt = jrt_create(&c);
    if (!rt) CHECK(0, "jrt_create");
    if (jvm_start(rt, m) != 0) CHECK(0, "jvm_start");
    int64_t t0 = mono_ms();
    int stopped = 0;
    while (jrt_wait(rt, 1) == JRT_ETIMEDOUT) {
        drain(rt, &r->tr);
        int64_t el = mono_ms() - t0;
        if (!stopped && ((stop_after_ms >= 0 && el >= stop_after_ms) || el >= RUN_TIMEOUT_MS)) {
            if (el >= RUN_TIMEOUT_MS) r->timed_out = 1;
            jrt_stop(rt);
            stopped = 1;
        }
    }
    drain(rt, &r->tr);
    r->result = jrt_result(rt);
    snprintf(r->text, sizeof r->text, "%s", jrt_result_text(rt));
    size_t cap = 256;
    r->out = malloc(cap);
    r->out[0] = 0;
    for (jrt_event *ev = trace_first(&r->tr); ev; ev = trace_next(&r->tr, ev)) {
        r->tr.count++;
        if (ev->kind != JRT_EV_PRINT) continue;
        while (r->out_len + ev->text_len + 1 > cap) cap *= 2;
        r->out = realloc(r->out, cap);
        memcpy(r->out + r->out_len, event_text(ev), ev->text_len);
        r->out_len += ev->text_len;
        r->out[r->out_len] = 0;
    }
    jrt_destroy(rt);
    jvm_module_free(m);
}

static void run_free(RunResult *r)
{
    free(r->out);
    trace_free(&r->tr);
}

static int known_issue(const char *name, const char *kind)
{
    char *s = slurp("tests/vm/known_issues.txt", NULL);
    if (!s) return 0;
    int hit = 0;
    char *save = NULL;
    for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        size_t n = strcspn(line, " \t");
        char *k = line + n + strspn(line + n, " \t");
        if (n == strlen(name) && !strncmp(line, name, n) && !strncmp(k, kind, strlen(kind))) hit = 1;
    }
    free(s);
    if (hit) printf("# %s: %s check skipped (tests/vm/known_issues.txt)\n", name, kind);
    return hit;
}

static void check_run(const char *name, const Expect *e, RunResult *r, int det, int workers, int64_t seed,
                      int64_t events)
{
    const char *mode = det ? "det" : "live";
    CHECK(!r->timed_out, "%s %s w%d s%lld: finished within %d ms", name, mode, workers, (long long)seed,
          RUN_TIMEOUT_MS);
    if (e->result != JRT_RESULT_ABORTED || e->out[0]) {
        if (strcmp(r->out, e->out) != 0) {
            printf("--- expected ---\n%s--- got ---\n%s---\n", e->out, r->out);
            /* the schedule that gave the wrong output, when it is short enough to read */
            if (r->tr.count <= 2000) trace_dump(&r->tr, stdout);
        }
        CHECK(strcmp(r->out, e->out) == 0, "%s %s w%d s%lld: output", name, mode, workers, (long long)seed);
    }
    if (r->result != e->result) printf("result text: %s\n", r->text);
    CHECK(r->result == e->result, "%s %s w%d s%lld: result %d (want %d)", name, mode, workers,
          (long long)seed, r->result, e->result);
    if (e->text[0]) {
        CHECK(strstr(r->text, e->text) != NULL, "%s %s w%d: error text \"%s\" names %s", name, mode,
              workers, r->text, e->text);
        CHECK(strstr(r->text, "main#0") != NULL, "%s: error text names the task", name);
    }
    if (events == JRT_EVENTS_OUTPUT) {   /* the program's events only, no invariants to check */
        int others = 0;
        for (jrt_event *ev = trace_first(&r->tr); ev; ev = trace_next(&r->tr, ev))
            others += ev->kind != JRT_EV_PRINT && ev->kind != JRT_EV_ERROR && ev->kind != JRT_EV_RUN_START &&
                      ev->kind != JRT_EV_RUN_END;
        CHECK(others == 0, "%s %s w%d output-only: no scheduling events (%d)", name, mode, workers, others);
        return;
    }
    const char *inv = check_invariants(&r->tr, det);
    if (inv) trace_dump(&r->tr, stdout);
    CHECK(inv == NULL, "%s %s w%d s%lld: trace invariants (%s)", name, mode, workers, (long long)seed,
          inv ? inv : "hold");
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : "";
    DIR *d = opendir(MODDIR);
    CHECK(d != NULL, "open %s", MODDIR);
    char *names[1024];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 4 && !strcmp(de->d_name + l - 4, ".jbc") && strstr(de->d_name, filter))
            names[n++] = strndup(de->d_name, l - 4);
    }
    closedir(d);
    for (int i = 0; i < n; i++) {   /* sort for a stable order */
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) { char *t = names[i]; names[i] = names[j]; names[j] = t; }
    }
    CHECK(n > 0, "found %d modules", n);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, MODDIR "/%s.expect", names[i]);
        Expect e;
        CHECK(parse_expect(path, &e) == 0, "%s: read %s", names[i], path);
        snprintf(path, sizeof path, MODDIR "/%s.jbc", names[i]);
        size_t len;
        uint8_t *bytes = (uint8_t *)slurp(path, &len);
        CHECK(bytes != NULL, "%s: read module", names[i]);
        /* the last: live, output events only (`janus-lab run` without --trace) */
        static const struct { int det, workers; int64_t seed; int out_only; } cfgs[] = {
            {1, 1, 1, 0}, {1, 2, 1, 0}, {1, 2, 2, 0}, {1, 4, 3, 0}, {0, 2, 1, 0}, {0, 4, 1, 0}, {0, 2, 1, 1},
        };
        int live_ok = e.live && !known_issue(names[i], "live");
        int det_twice = !known_issue(names[i], "determinism");
        for (size_t k = 0; k < sizeof cfgs / sizeof cfgs[0]; k++) {
            if (cfgs[k].det ? !e.det : !live_ok) continue;
            RunResult r;
            int64_t events = cfgs[k].out_only ? JRT_EVENTS_OUTPUT : JRT_EVENTS_ON;
            run_once(bytes, len, &e, cfgs[k].det, cfgs[k].workers, cfgs[k].seed, events, &r);
            check_run(names[i], &e, &r, cfgs[k].det, cfgs[k].workers, cfgs[k].seed, events);
            if (det_twice && cfgs[k].det && cfgs[k].workers == 2 && cfgs[k].seed == 2) {
                RunResult r2;
                run_once(bytes, len, &e, 1, 2, 2, JRT_EVENTS_ON, &r2);
                for (jrt_event *x = trace_first(&r.tr), *y = trace_first(&r2.tr); x && y;
                     x = trace_next(&r.tr, x), y = trace_next(&r2.tr, y)) {
                    if (x->size == y->size && !memcmp(x, y, x->size)) continue;
                    printf("# first difference: seq %llu %s t=%lld vs seq %llu %s t=%lld\n",
                           (unsigned long long)x->seq, jrt_event_kind_name(x->kind), (long long)x->t,
                           (unsigned long long)y->seq, jrt_event_kind_name(y->kind), (long long)y->t);
                    break;
                }
                CHECK(r.tr.len == r2.tr.len && memcmp(r.tr.buf, r2.tr.buf, r.tr.len) == 0,
                      "%s det w2 s2: byte-identical trace on a second run (%zu events)", names[i], r.tr.count);
                run_free(&r2);
            }
            run_free(&r);
        }
        free(bytes);
        free(e.out);
        free(names[i]);
    }
    printf("test_vm: %d checks passed\n", harness_checks);
    return 0;
}
