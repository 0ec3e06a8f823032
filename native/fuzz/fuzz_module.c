/*
 * fuzz_module.c — libFuzzer target: mutated bytecode modules into the loader, the
 * verifier and, when a module verifies, the VM itself on a deterministic run with tight
 * budgets (so a looping or allocating input ends quickly).
 *
 * Build and run (from native/; needs clang with libFuzzer):
 *   make fuzz-vm                       # build/fuzz/fuzz_module (ASan + UBSan + libFuzzer)
 *   make fuzz-vm-run FUZZ_MINUTES=10   # seeds from tests/vm/modules, corpus in build/fuzz/corpus
 * A crash, sanitizer report, leak or timeout (-timeout=10) stops the run with a
 * reproducer file (crash-*, timeout-*) in the current directory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "janusrt.h"
#include "janusvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    jvm_module *m = jvm_module_load(data, (int64_t)size, err, sizeof err);
    if (!m) return 0;
    jrt_config cfg;
    jrt_config_init(&cfg);
    cfg.workers = 2;
    cfg.mode = JRT_MODE_DETERMINISTIC;
    cfg.seed = (int64_t)size;
    cfg.events = JRT_EVENTS_OFF;
    cfg.max_run_ms = 5;               /* virtual time: ~0.5M ops at 10 ns each, or ~50k
                                         det-mode task switches (a yield loop) */
    cfg.task_memory = 1 << 20;
    cfg.max_total_tasks = 64;
    cfg.max_tasks_per_nursery = 32;
    jrt_runtime *rt = jrt_create(&cfg);
    if (rt) {
        if (jvm_start(rt, m) == 0) jrt_wait(rt, -1);
        jrt_destroy(rt);
    }
    jvm_module_free(m);
    return 0;
}
