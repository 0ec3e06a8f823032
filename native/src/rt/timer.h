/*
 * timer.h — a worker's timer heap: sleeping tasks (sleep, simulated I/O), ordered by
 * deadline, ties broken by insertion order so deterministic runs fire them in a fixed
 * order. Owned by one worker: only that worker's thread pushes and pops, so there is no
 * lock. A sleeping task holds no worker; it is only an entry here (plus its stack).
 *
 * An entry keeps the wait token the task had when it went to sleep. When the entry
 * fires, the wake succeeds only if the task is still in that same wait (a cancelled
 * task may have been woken early and be sleeping again since). Each entry holds a
 * reference to its task, dropped when the entry is popped.
 */
#ifndef JRT_TIMER_H
#define JRT_TIMER_H

#include <stdint.h>
#include <stddef.h>

struct jrt_task;

typedef struct jrt_timer {
    int64_t deadline;       /* ns on the run's clock (virtual in det mode) */
    uint64_t order;         /* insertion number: tie-break */
    struct jrt_task *task;
    uint32_t token;         /* wait token to wake */
} jrt_timer;

typedef struct jrt_timer_heap {
    jrt_timer *v;
    size_t n, cap;
    uint64_t next_order;
} jrt_timer_heap;

void jrt_timer_heap_free(jrt_timer_heap *h);
int jrt_timer_push(jrt_timer_heap *h, int64_t deadline, struct jrt_task *t, uint32_t token);
static inline int64_t jrt_timer_next(const jrt_timer_heap *h)
{
    return h->n ? h->v[0].deadline : INT64_MAX;
}
/* Pop the earliest entry into *out (caller checks the deadline first). */
void jrt_timer_pop(jrt_timer_heap *h, jrt_timer *out);

#endif
