/*
 * deque.h — a worker's run queue: a fixed-size Chase-Lev ring deque.
 *
 * The owner pushes and pops at the TOP (bottom index in Chase-Lev's paper, "top" in our
 * events: LIFO, the child spawned last runs first); thieves take from the BOTTOM (the
 * oldest task, FIFO) with a CAS on `head`. The owner's push is a plain store plus a
 * release store of `tail`; its pop is a seq_cst store/load pair and needs a CAS only when
 * it races a thief for the very last element (Lê et al., PPoPP 2013, fixed-array form).
 *
 * "Steal half" is done as repeated single-element steals (each its own CAS), up to half
 * of the size the thief saw. We rejected the one-CAS "claim [head, head+k)" variant: in
 * Chase-Lev the owner pops without a CAS whenever it sees more than one element, so a
 * thief claiming k > 1 elements on a stale size can take an element the owner has
 * already popped. One CAS per stolen task is cheap next to what a steal costs anyway.
 *
 * Indices are 64-bit and never wrap in practice; slot = index & (CAP - 1).
 */
#ifndef JRT_DEQUE_H
#define JRT_DEQUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JRT_DEQUE_CAP 256  /* power of two */

typedef struct jrt_deque {
    _Alignas(64) _Atomic int64_t head;  /* thieves' end (oldest) */
    _Alignas(64) _Atomic int64_t tail;  /* owner's end (newest) */
    _Alignas(64) void *_Atomic slot[JRT_DEQUE_CAP];
} jrt_deque;

void jrt_deque_init(jrt_deque *d);
/* Owner only. false when full (caller spills to the inject queue). */
bool jrt_deque_push(jrt_deque *d, void *x);
/* Owner only. NULL when empty. */
void *jrt_deque_pop(jrt_deque *d);
/* Any thread. NULL when empty or when it lost a race (*lost set to true then). */
void *jrt_deque_steal(jrt_deque *d, bool *lost);
/* Any thread; a racy estimate. */
static inline int64_t jrt_deque_size(jrt_deque *d)
{
    int64_t n = atomic_load_explicit(&d->tail, memory_order_acquire) -
                atomic_load_explicit(&d->head, memory_order_acquire);
    return n > 0 ? n : 0;
}

#endif
