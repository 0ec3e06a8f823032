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

int64_t jrt_deque_take_oldest(jrt_deque *d, void **out, int64_t k)
{
    int64_t t = atomic_load_explicit(&d->tail, memory_order_relaxed);
    int64_t h = atomic_load_explicit(&d->head, memory_order_seq_cst);
    for (;;) {
        int64_t n = t - h < k ? t - h : k;
        if (n <= 0) return 0;
        for (int64_t i = 0; i < n; i++)
            out[i] = atomic_load_explicit(&d->slot[(h + i) & (JRT_DEQUE_CAP - 1)],
                                          memory_order_relaxed);
        if (atomic_compare_exchange_strong_explicit(&d->head, &h, h + n, memory_order_seq_cst,
                                                    memory_order_seq_cst))
            return n;
        /* a thief advanced head: h now holds the new value; retry */
    }
}
