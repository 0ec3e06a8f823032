/*
 * harness.h — what every C test uses: CHECK, running a root task while draining the
 * event stream on a reader thread, walking the recorded events, and the TRACE.md §2
 * invariant checker.
 */
#ifndef JRT_TEST_HARNESS_H
#define JRT_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "janusrt.h"

extern int harness_checks;

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        harness_checks++;                                                                 \
        if (cond) {                                                                       \
            printf("ok %d - ", harness_checks); printf(__VA_ARGS__); printf("\n");        \
        } else {                                                                          \
            printf("not ok %d - ", harness_checks); printf(__VA_ARGS__);                  \
            printf("  (%s:%d: %s)\n", __FILE__, __LINE__, #cond);                         \
            fflush(stdout);                                                               \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

/* A recorded stream: the raw records, merged in seq order. */
typedef struct trace {
    char *buf;
    size_t len, cap;
    size_t count;
} trace;

/* Default test config: events on, given mode/workers/seed. */
jrt_config test_config(int workers, int det, int64_t seed);
/* Create a runtime, run fn(arg) as main, record every event. Returns jrt_result; the
 * root outcome is copied to *root if non-NULL. If keep is non-NULL the runtime is not
 * destroyed and is returned there (the caller destroys it). */
int run_traced(const jrt_config *cfg, jrt_task_fn fn, void *arg, trace *tr, jrt_outcome *root,
               jrt_runtime **keep);
void trace_free(trace *tr);

/* Iterate: for (jrt_event *e = trace_first(tr); e; e = trace_next(tr, e)) */
jrt_event *trace_first(const trace *tr);
jrt_event *trace_next(const trace *tr, jrt_event *e);
static inline const char *event_text(const jrt_event *e) { return (const char *)(e + 1); }
size_t trace_count_kind(const trace *tr, int kind);
/* First event of kind with a == a (a < -1000 matches any); NULL if none. */
jrt_event *trace_find(const trace *tr, int kind, int64_t a);
/* Print the stream (debugging a failing test). */
void trace_dump(const trace *tr, FILE *f);

/* TRACE.md §2 invariants. Returns NULL if all hold, else a static message. */
const char *check_invariants(const trace *tr, int deterministic);

static inline jrt_outcome ok_value(uint64_t v)
{
    jrt_outcome o = { JRT_OUTCOME_OK, 0, v, NULL, NULL };
    return o;
}
static inline jrt_outcome err_value(const char *text)
{
    jrt_outcome o = { JRT_OUTCOME_ERROR, 0, 0, NULL, text };
    return o;
}
static inline jrt_outcome cancelled_value(void)
{
    jrt_outcome o = { JRT_OUTCOME_CANCELLED, 0, 0, NULL, NULL };
    return o;
}

#endif
