/*
 * nursery.h — structured-concurrency scopes (LANGUAGE.md §6.3, §6.4).
 *
 * A nursery is opened by its owner task, collects the children spawned into it, and is
 * closed by its owner at the block's end after every child has finished. Cancellation
 * is a flag per nursery and per task; a request walks the subtree once (see the
 * numbered protocol in nursery.c). Nursery 0 is the root nursery: no owner, holds main.
 *
 * Fields and their guards:
 *   lock        guards children list, state, first_error, live, join_waiting, and — for
 *               every child — that child's chain of owned nurseries (child->own, ->outer).
 *   live        number of live children. Written only under lock (plain read-modify-
 *               write: the lock already orders spawn and child exit, so no atomic RMW is
 *               spent on it); atomic so the owner may read it without the lock (acquire)
 *               to skip blocking when every child is done.
 *   join_waiting set (under lock) by the owner's join when it blocks; the child that
 *               takes `live` to zero under the lock and sees it wakes the owner.
 *   cancelled   set under lock, read anywhere.
 * A nursery is freed when its reference count drops to zero (owner's reference is
 * dropped by the client; implicit nurseries by the runtime after closing).
 */
#ifndef JRT_NURSERY_H
#define JRT_NURSERY_H

#include <stdatomic.h>
#include <stdint.h>

#include "sync.h"
#include "task.h"

enum { JRT_NURSERY_OPEN = 0, JRT_NURSERY_JOINING = 1, JRT_NURSERY_CLOSED = 2 };

typedef struct jrt_nursery {
    jrt_spin lock;
    _Atomic int32_t refs;
    _Atomic int64_t live;
    int64_t id;
    jrt_task *owner;                /* NULL for the root nursery */
    struct jrt_nursery *outer;      /* next outer nursery of the same owner */
    jrt_task *children;             /* live children (sib_prev/sib_next) */
    jrt_task *first_error;          /* first child that failed (a reference) */
    uint64_t first_error_seq;       /* seq of its task_done (JRT_NO_SEQ: unknown) */
    char *owner_error;              /* join_error text (owned) */
    struct jrt_runtime *rt;
    int32_t line;
    _Atomic uint8_t cancelled;
    uint8_t reason;                 /* JRT_REASON_* of the first cancellation */
    uint8_t state;                  /* JRT_NURSERY_* (guarded by lock) */
    uint8_t implicit;               /* the body nursery of its owner */
    uint8_t join_waiting;           /* owner blocked in join (guarded by lock) */
} jrt_nursery;

struct jrt_worker;

/* Create and link a nursery owned by t (t NULL: the root). NULL on OOM. */
jrt_nursery *jrt_nursery_create(struct jrt_runtime *rt, struct jrt_worker *w, jrt_task *owner,
                                int implicit);
/* Cancel n and its whole subtree. Must run on a thread stack (worker or client
 * thread), never on a fiber: it recurses once per level of the tree. w NULL = the
 * caller is not a worker (events go to the runtime ring). */
void jrt_nursery_cancel_walk(struct jrt_worker *w, jrt_nursery *n, int reason, int64_t by);
/* With events on (live), a task's first-run decision and its DONE decision run between
 * this and jrt_decision_leave (worker.h): it waits for cancel walks in progress, and
 * walks wait for it. */
void jrt_decision_enter(struct jrt_runtime *rt, struct jrt_worker *w);
/* Cancel task t and its subtree; caller holds t->nursery->lock. */
void jrt_task_cancel_locked(struct jrt_worker *w, jrt_task *t, int reason, int64_t by);
/* Cancel one task from anywhere (thread stack), with the type-stable retry. */
void jrt_task_cancel(struct jrt_worker *w, jrt_task *t, int reason, int64_t by);
/* A child has finished (worker stack): unlink, record failure, maybe wake the owner. */
/* done_seq: the seq of the child's task_done (JRT_NO_SEQ when events are off or it was
 * dropped); the nursery's first error is the failed child with the smallest one, so the
 * error it raises is the one the trace shows failing first. */
void jrt_nursery_child_done(struct jrt_worker *w, jrt_task *child, uint64_t done_seq);
/* Join: the fiber-side end of a block. leaving: NULL, or the owner's own error text. */
int jrt_nursery_join_impl(jrt_task *t, jrt_nursery *n, const char *leaving, int at_exit,
                          jrt_outcome *out);
void jrt_nursery_unref(jrt_nursery *n);
/* Cancel n from fiber code (the walk itself runs on the worker's stack). */
void jrt_nursery_cancel_from_fiber(jrt_task *self, jrt_nursery *n, int reason);

#endif
