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

/* Power of two. 1024: a fan-out of up to 1024 children stays in the deque (no spill to
 * the inject queue and back). Changing it changes deterministic schedules of programs
 * that queue more than CAP tasks on one worker. */
#define JRT_DEQUE_CAP 1024

typedef struct jrt_deque {
    _Alignas(64) _Atomic int64_t head;  /* thieves' end (oldest) */
    _Alignas(64) _Atomic int64_t tail;  /* owner's end (newest) */
    _Alignas(64) void *_Atomic slot[JRT_DEQUE_CAP];
} jrt_deque;

void jrt_deque_init(jrt_deque *d);

/* Owner only. false when full (caller spills to the inject queue). Inline: it is on the
 * path of every spawn and every wake-up. */
static inline bool jrt_deque_push(jrt_deque *d, void *x)
{
    int64_t t = atomic_load_explicit(&d->tail, memory_order_relaxed);
    int64_t h = atomic_load_explicit(&d->head, memory_order_acquire);
    if (t - h >= JRT_DEQUE_CAP) return false;
    atomic_store_explicit(&d->slot[t & (JRT_DEQUE_CAP - 1)], x, memory_order_relaxed);
    /* Release: a thief that sees the new tail also sees the slot. */
    atomic_store_explicit(&d->tail, t + 1, memory_order_release);
    return true;
}

/* Owner only. NULL when empty. */
static inline void *jrt_deque_pop(jrt_deque *d)
{
    int64_t t = atomic_load_explicit(&d->tail, memory_order_relaxed) - 1;
    /* Claim the top slot before looking at head: this store and the load below must
     * not be reordered (the Dekker pattern against a thief's head load / tail load). */
    atomic_store_explicit(&d->tail, t, memory_order_seq_cst);
    int64_t h = atomic_load_explicit(&d->head, memory_order_seq_cst);
    if (h > t) {  /* was empty */
        atomic_store_explicit(&d->tail, t + 1, memory_order_relaxed);
        return NULL;
    }
    void *x = atomic_load_explicit(&d->slot[t & (JRT_DEQUE_CAP - 1)], memory_order_relaxed);
    if (h == t) {  /* last element: race the thieves for it with the same CAS they use */
        if (!atomic_compare_exchange_strong_explicit(&d->head, &h, h + 1,
                                                     memory_order_seq_cst,
                                                     memory_order_relaxed))
            x = NULL;
        atomic_store_explicit(&d->tail, t + 1, memory_order_relaxed);
    }
    return x;
}

/* Owner only, and only while no thief can exist (a run with a single worker: nobody
 * else steals). The same as jrt_deque_pop without the seq_cst store/load pair, which
 * only orders the owner against thieves. */
static inline void *jrt_deque_pop_unshared(jrt_deque *d)
{
    int64_t t = atomic_load_explicit(&d->tail, memory_order_relaxed);
    int64_t h = atomic_load_explicit(&d->head, memory_order_relaxed);
    if (t <= h) return NULL;
    void *x = atomic_load_explicit(&d->slot[(t - 1) & (JRT_DEQUE_CAP - 1)], memory_order_relaxed);
    atomic_store_explicit(&d->tail, t - 1, memory_order_relaxed);
    return x;
}

/* Any thread. NULL when empty or when it lost a race (*lost set to true then). */
void *jrt_deque_steal(jrt_deque *d, bool *lost);

/* Owner only: take the k oldest elements (from the thieves' end) into out[] with one
 * CAS on head, for spilling a full deque. Safe for the owner although not for a thief
 * (see above): the owner is not popping meanwhile, and no slot in [head, tail) can be
 * overwritten while it runs, so a successful CAS from h to h+k owns exactly those k.
 * Returns how many were taken (fewer than k only if thieves emptied it meanwhile). */
int64_t jrt_deque_take_oldest(jrt_deque *d, void **out, int64_t k);

/* Any thread; a racy estimate. */
static inline int64_t jrt_deque_size(jrt_deque *d)
{
    int64_t n = atomic_load_explicit(&d->tail, memory_order_acquire) -
                atomic_load_explicit(&d->head, memory_order_acquire);
    return n > 0 ? n : 0;
}

#endif
