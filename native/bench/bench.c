/*
 * bench.c — janusrt-bench: the runtime's figures as `name value unit` lines (medians of
 * several repetitions). Events are off unless the name says otherwise.
 *
 *   build/janusrt-bench            all benchmarks (about half a minute)
 *   build/janusrt-bench NAME...    only those (switch_ns spawn_join_ns skynet_1m_ms
 *                                  skynet_1m_events_ms task_metadata_bytes live_tasks_max
 *                                  yield_ns)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fiber.h"
#include "janusrt.h"
#include "task.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static jrt_config bench_config(int workers, int events)
{
    jrt_config c;
    jrt_config_init(&c);
    c.workers = workers;
    c.events = events;
    c.ring_kb = 8192;
    return c;
}

/* --- switch_ns: raw fiber -> fiber switch on one thread -------------------------------- */

static jrt_ctx ctx_main, ctx_a, ctx_b;
static long switch_rounds;

static void fiber_b(void *arg)
{
    (void)arg;
    for (;;) jrt_switch(&ctx_b, &ctx_a);
}

static void fiber_a(void *arg)
{
    (void)arg;
    for (long i = 0; i < switch_rounds; i++) jrt_switch(&ctx_a, &ctx_b);
    jrt_switch(&ctx_a, &ctx_main);
}

static double bench_switch(void)
{
    static char stack_a[16384] __attribute__((aligned(64)));
    static char stack_b[16384] __attribute__((aligned(64)));
    /* Many short repetitions and the median: on a shared, loaded machine a single
     * long run mostly measures the other tenants. */
    enum { REPS = 21 };
    double v[REPS];
    for (int r = 0; r < REPS; r++) {
        switch_rounds = 2000000;
        jrt_ctx_init(&ctx_a, stack_a + sizeof stack_a, fiber_a, NULL);
        jrt_ctx_init(&ctx_b, stack_b + sizeof stack_b, fiber_b, NULL);
        int64_t t0 = now_ns();
        jrt_switch(&ctx_main, &ctx_a);
        int64_t t1 = now_ns();
        v[r] = (double)(t1 - t0) / (double)(2 * switch_rounds);
    }
    return median(v, REPS);
}

/* --- yield_ns: two tasks yielding to each other through the scheduler ---------------- */

static jrt_outcome yielder(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (long i = 0; i < n; i++) jrt_yield();
    return (jrt_outcome){ 0 };
}

static jrt_outcome yield_main(void *arg)
{
    jrt_spawn(NULL, yielder, arg, 1, NULL);
    jrt_spawn(NULL, yielder, arg, 1, NULL);
    return (jrt_outcome){ 0 };
}

static double bench_yield(void)
{
    double v[5];
    long n = 1000000;
    for (int r = 0; r < 5; r++) {
        jrt_config c = bench_config(1, 0);
        jrt_runtime *rt = jrt_create(&c);
        int64_t t0 = now_ns();
        jrt_run(rt, yield_main, (void *)(intptr_t)n, 0, NULL);
        int64_t t1 = now_ns();
        jrt_destroy(rt);
        v[r] = (double)(t1 - t0) / (double)(2 * n);
    }
    return median(v, 5);
}

/* --- spawn_join_ns ----------------------------------------------------------------- */

static jrt_outcome empty_task(void *arg)
{
    (void)arg;
    return (jrt_outcome){ 0 };
}

#define SJ_BATCH 1000
#define SJ_ROUNDS 1000

static jrt_outcome spawn_join_main(void *arg)
{
    (void)arg;
    for (int r = 0; r < SJ_ROUNDS; r++) {
        jrt_nursery *n;
        jrt_nursery_open(&n);
        for (int i = 0; i < SJ_BATCH; i++) jrt_spawn(n, empty_task, NULL, 1, NULL);
        jrt_nursery_join(n, NULL);
        jrt_nursery_release(n);
    }
    return (jrt_outcome){ 0 };
}

static double bench_spawn_join(int workers)
{
    double v[5];
    for (int r = 0; r < 5; r++) {
        jrt_config c = bench_config(workers, 0);
        jrt_runtime *rt = jrt_create(&c);
        int64_t t0 = now_ns();
        jrt_run(rt, spawn_join_main, NULL, 0, NULL);
        int64_t t1 = now_ns();
        jrt_destroy(rt);
        v[r] = (double)(t1 - t0) / (double)(SJ_BATCH * SJ_ROUNDS);
    }
    return median(v, 5);
}

/* --- skynet ------------------------------------------------------------------------- */

typedef struct sky { int64_t num, size; } sky;

static jrt_outcome skynet(void *arg)
{
    sky *s = arg;
    if (s->size == 1) return (jrt_outcome){ .kind = 0, .value = (uint64_t)s->num };
    sky kids[10];
    jrt_task *h[10];
    int64_t sub = s->size / 10;
    for (int i = 0; i < 10; i++) {
        kids[i].num = s->num + i * sub;
        kids[i].size = sub;
        jrt_spawn(NULL, skynet, &kids[i], 1, &h[i]);
    }
    uint64_t sum = 0;
    for (int i = 0; i < 10; i++) {
        jrt_outcome o;
        jrt_await(h[i], &o);
        sum += o.value;
        jrt_task_release(h[i]);
    }
    return (jrt_outcome){ .kind = 0, .value = sum };
}

static volatile int drain_stop;
static void *drain_events(void *p)
{
    jrt_runtime *rt = p;
    static char buf[1 << 20];
    uint64_t total = 0;
    while (jrt_status(rt) != JRT_STATUS_FINISHED) {
        int64_t n = jrt_events_read(rt, buf, sizeof buf);
        total += (uint64_t)n;
        if (n == 0) usleep(100);
    }
    while (jrt_events_read(rt, buf, sizeof buf) > 0) {}
    return NULL;
}

static double bench_skynet(int events, int64_t *dropped, int64_t *nevents)
{
    double v[5];
    for (int r = 0; r < 5; r++) {
        jrt_config c = bench_config(2, events);
        jrt_runtime *rt = jrt_create(&c);
        sky root = { 0, 1000000 };
        pthread_t th;
        if (events) pthread_create(&th, NULL, drain_events, rt);
        jrt_outcome out;
        int64_t t0 = now_ns();
        jrt_run(rt, skynet, &root, 0, &out);
        int64_t t1 = now_ns();
        if (events) pthread_join(th, NULL);
        if (out.value != 499999500000ull) {
            fprintf(stderr, "skynet: wrong sum %llu\n", (unsigned long long)out.value);
            exit(1);
        }
        if (dropped) *dropped = jrt_stat(rt, JRT_STAT_DROPPED);
        if (nevents) *nevents = jrt_stat(rt, JRT_STAT_EVENTS);
        jrt_destroy(rt);
        v[r] = (double)(t1 - t0) / 1e6;
    }
    return median(v, 5);
}

/* --- live_tasks_max ----------------------------------------------------------------- */

#define LIVE_TASKS 1000000
static atomic_long sleeping;

static jrt_outcome sleeper(void *arg)
{
    (void)arg;
    atomic_fetch_add(&sleeping, 1);
    jrt_sleep(600000);  /* until cancelled */
    return (jrt_outcome){ 0 };
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
        fclose(f);
    }
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static long live_rss_before, live_rss_peak;
static long live_count;

static jrt_outcome live_main(void *arg)
{
    (void)arg;
    jrt_nursery *n;
    jrt_nursery_open(&n);
    for (long i = 0; i < LIVE_TASKS; i++)
        if (jrt_spawn(n, sleeper, NULL, 1, NULL) != JRT_OK) break;
    while (atomic_load(&sleeping) < LIVE_TASKS) jrt_sleep(5);
    live_count = jrt_stat(jrt_current_runtime(), JRT_STAT_LIVE_TASKS);
    live_rss_peak = rss_kb();
    jrt_nursery_cancel(n);
    jrt_nursery_join(n, NULL);
    jrt_nursery_release(n);
    return (jrt_outcome){ 0 };
}

static void bench_live(void)
{
    jrt_config c = bench_config(2, 0);
    jrt_runtime *rt = jrt_create(&c);
    live_rss_before = rss_kb();
    int64_t t0 = now_ns();
    int res = jrt_run(rt, live_main, NULL, 0, NULL);
    int64_t t1 = now_ns();
    jrt_destroy(rt);
    printf("live_tasks_max %ld tasks\n", res == JRT_RESULT_OK ? live_count : 0L);
    printf("rss_per_task_kb %.2f KB\n", (double)(live_rss_peak - live_rss_before) / LIVE_TASKS);
    printf("live_tasks_run_ms %.0f ms\n", (double)(t1 - t0) / 1e6);
}

static int wanted(int argc, char **argv, const char *name)
{
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (wanted(argc, argv, "task_metadata_bytes"))
        printf("task_metadata_bytes %zu bytes\n", sizeof(jrt_task));
    if (wanted(argc, argv, "switch_ns")) printf("switch_ns %.2f ns\n", bench_switch());
    if (wanted(argc, argv, "yield_ns")) printf("yield_ns %.2f ns\n", bench_yield());
    if (wanted(argc, argv, "spawn_join_ns")) {
        printf("spawn_join_ns %.1f ns\n", bench_spawn_join(1));
        printf("spawn_join_2w_ns %.1f ns\n", bench_spawn_join(2));
    }
    if (wanted(argc, argv, "skynet_1m_ms")) printf("skynet_1m_ms %.1f ms\n", bench_skynet(0, NULL, NULL));
    if (wanted(argc, argv, "skynet_1m_events_ms")) {
        int64_t dropped = 0, nev = 0;
        double ms = bench_skynet(1, &dropped, &nev);
        printf("skynet_1m_events_ms %.1f ms\n", ms);
        printf("skynet_1m_events_count %lld events\n", (long long)nev);
        printf("skynet_1m_events_dropped %lld events\n", (long long)dropped);
    }
    if (wanted(argc, argv, "live_tasks_max")) bench_live();
    return 0;
}
