/*
 * task.h — the task control block (TCB) and its life cycle.
 *
 * A task is created NEW (function + argument, no stack), gets a stack from its
 * worker's pool the first time it runs, gives it back when its body returns, and then
 * lives on as a DONE handle holding its outcome for as long as someone references it.
 *
 * States — who owns the stack, which queue the task is on, which fields are valid:
 *
 *   NEW       no stack. On exactly one run queue (a deque, a runnext slot or the
 *             inject queue). u.start valid. Cancelled here => never runs (its body is
 *             skipped; it ends cancelled without a task_run).
 *   RUNNABLE  owns a suspended stack. On exactly one run queue. u.start no longer used.
 *   RUNNING   its stack is in use by `worker` (worker->current == task). On no queue.
 *   BLOCKED   owns a suspended stack. On a wait list: a task's waiters (await), its
 *             nursery's join slot, or a worker's timer heap (sleep/io). wait_token odd.
 *   DONE      no stack. On no queue, in no nursery. u.end (outcome) valid; kept only by
 *             references (client handles, a nursery's first error, timer entries).
 *
 * References: a task starts with one reference owned by the runtime (dropped when it is
 * DONE and its nursery has been told) plus one per handle given to the client.
 *
 * Memory layout (<= 128 bytes, two cache lines; checked by _Static_assert in task.c):
 *   first the scheduling links (run queue, stack, worker, nursery tree, start/outcome),
 *   then identity, wait token, references, cancellation bits, budgets, waiter list.
 */
#ifndef JRT_TASK_H
#define JRT_TASK_H

#include <stdatomic.h>
#include <stdint.h>

#include "janusrt.h"
#include "stack_pool.h"
#include "sync.h"

struct jrt_worker;
struct jrt_nursery;
struct jrt_waiter;

enum {
    JRT_TASK_NEW = 0,
    JRT_TASK_RUNNABLE = 1,
    JRT_TASK_RUNNING = 2,
    JRT_TASK_BLOCKED = 3,
    JRT_TASK_DONE = 4
};

/* cancel bits */
enum {
    JRT_CANCEL_REQUESTED = 1,  /* a cancellation reached this task (set under wlock) */
    JRT_CANCEL_OBSERVED = 2,   /* cancel_observe already emitted */
    JRT_CANCEL_STARTED = 4     /* first task_run decided (under wlock) */
};

/* wait token: bit 0 = waiting, bit 1 = a cancellation may end the wait, bit 2 = an
 * await is still registering on its targets, rest = a generation counter bumped by
 * every new wait. A waker ends the wait with one CAS from the token it saw to
 * token & ~7, so exactly one of the racing wakers wins. A waker that finds the
 * awaiter still registering ends the wait the same way but leaves placing the task to
 * the registering worker (which must not touch the awaiter's stack once it is waiting:
 * the task may already run elsewhere). */
#define JRT_WAIT_WAITING 1u
#define JRT_WAIT_CANCELLABLE 2u
#define JRT_WAIT_REGISTERING 4u
#define JRT_WAIT_GEN 8u
#define JRT_WAIT_BITS 7u

typedef struct jrt_task {
    struct jrt_task *next;          /* inject-queue link (only while on that queue) */
    jrt_stack *stack;               /* RUNNABLE/RUNNING/BLOCKED; NULL when NEW/DONE */
    struct jrt_worker *worker;      /* worker running it (RUNNING), else last one */
    struct jrt_nursery *nursery;    /* nursery it belongs to; NULL once DONE */
    struct jrt_nursery *own;        /* innermost open nursery it owns; chain ->outer.
                                       Guarded by nursery->lock (its parent nursery). */
    struct jrt_task *sib_prev;      /* nursery children list (guarded by nursery->lock) */
    struct jrt_task *sib_next;
    union {
        struct { jrt_task_fn fn; void *arg; } start;  /* NEW .. first run */
        struct { uint64_t value; char *text; } end;   /* DONE: value (OK) or error
                                                         pointer (ERROR); error text */
    } u;
    struct jrt_waiter *waiters;     /* awaiters, guarded by wlock; closed when DONE */
    int64_t id;
    int64_t mem;                    /* bytes accounted by jrt_mem_charge */
    _Atomic uint32_t wait_token;
    _Atomic int32_t refs;
    uint32_t func_id;
    int32_t line;                   /* current source line (jrt_line) */
    uint32_t ops;                   /* ops charged since the last budget yield */
    _Atomic uint8_t state;
    _Atomic uint8_t cancel;         /* JRT_CANCEL_* */
    uint8_t outcome;                /* JRT_OUTCOME_* once DONE */
    uint8_t block_on;               /* JRT_BLOCK_* while BLOCKED (for events) */
    jrt_spin wlock;                 /* waiters, first-run and DONE decisions, cancel */
} jrt_task;

/* An awaiter's registration on one awaited task (lives on the awaiter's fiber stack). */
typedef struct jrt_waiter {
    struct jrt_waiter *prev, *next;
    jrt_task *task;      /* the awaiting task */
    jrt_task *target;    /* the awaited task */
    uint32_t token;      /* awaiter's wait token at registration */
    int linked;          /* still on target->waiters (guarded by target->wlock) */
} jrt_waiter;

static inline void jrt_task_ref(jrt_task *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}
/* Drop a reference; frees the TCB (calling the client drop hooks) at zero. */
void jrt_task_unref(jrt_task *t);

#endif
