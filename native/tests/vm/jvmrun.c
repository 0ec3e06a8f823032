/*
 * jvmrun — run a compiled Janus module (.jbc) on libjanusrt from C: the VM's test and
 * benchmark driver (the user-facing runner is `janus-lab run`).
 *
 *   jvmrun [-w WORKERS] [-d] [-s SEED] [-q QUANTUM] [-M TASK_MEMORY] [-T MAX_RUN_MS]
 *          [-S STOP_AFTER_MS] [-l] [-e] [-E] [-O] [-x] FILE.jbc
 *
 * Program output (print events) goes to stdout as it is drained; error events and the
 * result go to stderr. -e prints every event, -E turns events off, -O keeps only output events
 * (print, error, run_start/run_end: `janus-lab run` without a trace), -x prints a disassembly and exits,
 * -S calls jrt_stop after that many ms. Exit status: 0 ok, 1 error, 2 aborted, 3 bad
 * module or usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "janusrt.h"
#include "janusvm.h"

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint8_t *read_file(const char *path, int64_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n;
    return b;
}

static int show_all;
static int64_t nevents;

static void drain(jrt_runtime *rt, jvm_module *m, uint8_t *buf, int64_t cap)
{
    for (;;) {
        int64_t n = jrt_events_read(rt, buf, cap);
        if (n <= 0) return;
        for (int64_t off = 0; off < n;) {
            jrt_event *e = (jrt_event *)(buf + off);
            const char *text = (const char *)(buf + off + JRT_EVENT_HEADER_BYTES);
            nevents++;
            if (e->kind == JRT_EV_PRINT) {
                fwrite(text, 1, e->text_len, stdout);
            } else if (e->kind == JRT_EV_ERROR) {
                fprintf(stderr, "error event: task %lld line %d: %s\n", (long long)e->a, e->e, text);
                size_t l = strlen(text);
                if (l + 1 < e->text_len) fprintf(stderr, "%.*s\n", (int)(e->text_len - l - 1), text + l + 1);
            }
            if (show_all) {
                fprintf(stderr, "#%llu w%d %s a=%lld b=%lld c=%lld d=%d e=%d", (unsigned long long)e->seq,
                        e->w, jrt_event_kind_name(e->kind), (long long)e->a, (long long)e->b,
                        (long long)e->c, e->d, e->e);
                if (e->kind == JRT_EV_TASK_SPAWN) fprintf(stderr, " (%s)", jvm_func_name(m, e->d));
                if (e->text_len && e->kind != JRT_EV_PRINT) fprintf(stderr, " \"%.*s\"", (int)e->text_len, text);
                fputc('\n', stderr);
            }
            off += e->size;
        }
    }
}

int main(int argc, char **argv)
{
    jrt_config cfg;
    jrt_config_init(&cfg);
    int opt, disasm = 0;
    int64_t stop_after = -1;
    while ((opt = getopt(argc, argv, "w:ds:q:M:T:S:lexEO")) != -1) {
        switch (opt) {
        case 'w': cfg.workers = atoll(optarg); break;
        case 'd': cfg.mode = JRT_MODE_DETERMINISTIC; break;
        case 's': cfg.seed = atoll(optarg); break;
        case 'q': cfg.quantum = atoll(optarg); break;
        case 'M': cfg.task_memory = atoll(optarg); break;
        case 'T': cfg.max_run_ms = atoll(optarg); break;
        case 'S': stop_after = atoll(optarg); break;
        case 'l': cfg.line_events = 1; break;
        case 'e': show_all = 1; break;
        case 'x': disasm = 1; break;
        case 'E': cfg.events = JRT_EVENTS_OFF; break;
        case 'O': cfg.events = JRT_EVENTS_OUTPUT; break;
        default: fprintf(stderr, "usage: jvmrun [-w N] [-d] [-s SEED] [-q Q] [-M BYTES] [-T MS] [-S MS] [-l] [-e] [-x] FILE.jbc\n"); return 3;
        }
    }
    if (optind >= argc) { fprintf(stderr, "jvmrun: no module file\n"); return 3; }
    int64_t len;
    uint8_t *bytes = read_file(argv[optind], &len);
    if (!bytes) { fprintf(stderr, "jvmrun: cannot read %s\n", argv[optind]); return 3; }
    char err[256];
    jvm_module *m = jvm_module_load(bytes, len, err, sizeof err);
    free(bytes);
    if (!m) { fprintf(stderr, "jvmrun: %s\n", err); return 3; }
    if (disasm) {
        int64_t n = jvm_disassemble(m, NULL, 0);
        char *b = malloc((size_t)n + 1);
        jvm_disassemble(m, b, n + 1);
        fputs(b, stdout);
        free(b);
        jvm_module_free(m);
        return 0;
    }
    jrt_runtime *rt = jrt_create(&cfg);
    if (!rt) { fprintf(stderr, "jvmrun: jrt_create failed\n"); jvm_module_free(m); return 3; }
    int64_t cap = 1 << 20;
    uint8_t *buf = malloc((size_t)cap);
    int64_t t0 = mono_ms();
    int rc = jvm_start(rt, m);
    if (rc != 0) { fprintf(stderr, "jvmrun: jvm_start failed: %d\n", rc); return 3; }
    int stopped = 0;
    while (jrt_wait(rt, 1) == JRT_ETIMEDOUT) {
        drain(rt, m, buf, cap);
        if (stop_after >= 0 && !stopped && mono_ms() - t0 >= stop_after) {
            jrt_stop(rt);
            stopped = 1;
        }
    }
    drain(rt, m, buf, cap);
    fflush(stdout);
    int res = jrt_result(rt);
    fprintf(stderr, "result: %s%s%s\n", res == JRT_RESULT_OK ? "ok" : res == JRT_RESULT_ERROR ? "error" : "aborted",
            jrt_result_text(rt)[0] ? ": " : "", jrt_result_text(rt));
    if (getenv("JVMRUN_STATS"))
        fprintf(stderr, "run_ms: %.1f\ntasks: %lld\nevents: %lld\npeak_live_tasks: %lld\nvm_bytes_peak: %lld\n",
                (double)jrt_stat(rt, JRT_STAT_RUN_NS) / 1e6, (long long)jrt_stat(rt, JRT_STAT_TASKS),
                (long long)nevents, (long long)jrt_stat(rt, JRT_STAT_PEAK_LIVE_TASKS),
                (long long)jvm_stat(m, JVM_STAT_BYTES_PEAK));
    jrt_destroy(rt);
    jvm_module_free(m);
    free(buf);
    return res == JRT_RESULT_OK ? 0 : res == JRT_RESULT_ERROR ? 1 : 2;
}
