/* test_smoke.c — the smallest end-to-end runs: main alone, main with children. */
#include <string.h>
#include "harness.h"

static jrt_outcome leaf(void *arg) { return ok_value((uint64_t)(uintptr_t)arg * 2); }

static jrt_outcome main_children(void *arg)
{
    (void)arg;
    jrt_task *h[10];
    for (int i = 0; i < 10; i++) jrt_spawn(NULL, leaf, (void *)(uintptr_t)i, 1, &h[i]);
    uint64_t sum = 0;
    for (int i = 0; i < 10; i++) {
        jrt_outcome o;
        jrt_await(h[i], &o);
        sum += o.value;
        jrt_task_release(h[i]);
    }
    return ok_value(sum);
}

static jrt_outcome main_alone(void *arg) { (void)arg; return ok_value(42); }

int main(void)
{
    for (int det = 0; det <= 1; det++) {
        jrt_config c = test_config(2, det, 7);
        trace tr;
        jrt_outcome root;
        int res = run_traced(&c, main_alone, NULL, &tr, &root, NULL);
        CHECK(res == JRT_RESULT_OK && root.value == 42, "main alone returns 42 (%s)", det ? "det" : "live");
        const char *inv = check_invariants(&tr, det);
        CHECK(!inv, "invariants hold: %s", inv ? inv : "");
        trace_free(&tr);

        res = run_traced(&c, main_children, NULL, &tr, &root, NULL);
        CHECK(res == JRT_RESULT_OK && root.value == 90, "10 children summed: %llu", (unsigned long long)root.value);
        inv = check_invariants(&tr, det);
        if (inv) trace_dump(&tr, stdout);
        CHECK(!inv, "invariants hold: %s", inv ? inv : "");
        CHECK(trace_count_kind(&tr, JRT_EV_TASK_SPAWN) == 11, "11 task_spawn events");
        trace_free(&tr);
    }
    return 0;
}
