/*
 * timer.c — binary min-heap on (deadline, order).
 */
#include "timer.h"

#include <stdlib.h>

static inline int before(const jrt_timer *a, const jrt_timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->order < b->order);
}

void jrt_timer_heap_free(jrt_timer_heap *h)
{
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

int jrt_timer_push(jrt_timer_heap *h, int64_t deadline, struct jrt_task *t, uint32_t token)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        jrt_timer *v = realloc(h->v, cap * sizeof *v);
        if (!v) return -1;
        h->v = v;
        h->cap = cap;
    }
    jrt_timer e = { deadline, h->next_order++, t, token };
    size_t i = h->n++;
    while (i > 0) {  /* sift up */
        size_t parent = (i - 1) / 2;
        if (!before(&e, &h->v[parent])) break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
    return 0;
}

void jrt_timer_pop(jrt_timer_heap *h, jrt_timer *out)
{
    *out = h->v[0];
    jrt_timer last = h->v[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {  /* sift down */
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const jrt_timer *best = &last;
        if (l < n && before(&h->v[l], best)) { m = l; best = &h->v[l]; }
        if (r < n && before(&h->v[r], best)) { m = r; }
        if (m == i) break;
        h->v[i] = h->v[m];
        i = m;
    }
    if (n) h->v[i] = last;
}
