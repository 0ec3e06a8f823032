/*
 * deque.c — Chase-Lev ring deque (see deque.h). Memory orders follow Lê et al.; the
 * seq_cst fences of the paper are expressed as seq_cst accesses, which ThreadSanitizer
 * understands (it does not model stand-alone fences).
 */
#include "deque.h"

void jrt_deque_init(jrt_deque *d)
{
    atomic_init(&d->head, 0);
    atomic_init(&d->tail, 0);
    for (int i = 0; i < JRT_DEQUE_CAP; i++) atomic_init(&d->slot[i], NULL);
}

bool jrt_deque_push(jrt_deque *d, void *x)
{
    int64_t t = atomic_load_explicit(&d->tail, memory_order_relaxed);
    int64_t h = atomic_load_explicit(&d->head, memory_order_acquire);
    if (t - h >= JRT_DEQUE_CAP) return false;
    atomic_store_explicit(&d->slot[t & (JRT_DEQUE_CAP - 1)], x, memory_order_relaxed);
    /* Release: a thief that sees the new tail also sees the slot. */
    atomic_store_explicit(&d->tail, t + 1, memory_order_release);
    return true;
}

void *jrt_deque_pop(jrt_deque *d)
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

void *jrt_deque_steal(jrt_deque *d, bool *lost)
{
    int64_t h = atomic_load_explicit(&d->head, memory_order_seq_cst);
    int64_t t = atomic_load_explicit(&d->tail, memory_order_seq_cst);
    if (h >= t) return NULL;
    void *x = atomic_load_explicit(&d->slot[h & (JRT_DEQUE_CAP - 1)], memory_order_relaxed);
    if (!atomic_compare_exchange_strong_explicit(&d->head, &h, h + 1,
                                                 memory_order_seq_cst,
                                                 memory_order_relaxed)) {
        *lost = true;
        return NULL;
    }
    return x;
}
