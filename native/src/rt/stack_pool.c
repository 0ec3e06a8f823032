/*
 * stack_pool.c — slabs of guarded fiber stacks and their per-worker LIFO caches.
 * See stack_pool.h for the memory layout.
 */
#include "stack_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sync.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#ifdef JRT_SANITIZE_THREAD
#include <sanitizer/tsan_interface.h>
#endif

int jrt_stack_pool_init(jrt_stack_pool *p, size_t stack_bytes, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->page = (size_t)sysconf(_SC_PAGESIZE);
    p->usable_bytes = (stack_bytes + p->page - 1) & ~(p->page - 1);
    p->slot_bytes = p->usable_bytes + p->page;
    p->canary_key = jrt_splitmix64(&seed) | 1;
    p->guard_mode = 0;
    return 0;
}

void jrt_stack_pool_destroy(jrt_stack_pool *p)
{
    jrt_slab *s = p->slabs;
    while (s) {
        jrt_slab *next = s->next;
#ifdef JRT_SANITIZE_THREAD
        for (size_t i = 0; i < JRT_STACK_SLOTS_PER_SLAB; i++) {
            char *slot = s->base + i * p->slot_bytes;
            jrt_stack *st = (jrt_stack *)(slot + p->slot_bytes - sizeof(jrt_stack));
            if (st->tsan_fiber) __tsan_destroy_fiber(st->tsan_fiber);
        }
#endif
#ifdef JRT_SANITIZE_ADDRESS
        /* Fibers that never returned (abandoned, or parked at the end) leave redzones in
         * the shadow; the kernel may hand these addresses out again. */
        __asan_unpoison_memory_region(s->base, s->bytes);
#endif
        munmap(s->base, s->bytes);
        free(s);
        s = next;
    }
    p->slabs = NULL;
    pthread_mutex_destroy(&p->lock);
}

static void install_guard(jrt_stack_pool *p, char *guard)
{
    if (p->guard_mode == 0) {
        if (madvise(guard, p->page, MADV_GUARD_INSTALL) == 0) return;
        p->guard_mode = 1;  /* kernel without guard regions: fall back once, for good */
    }
    if (p->guard_mode == 1) {
        if (p->mprotect_guards < JRT_MPROTECT_GUARD_BUDGET &&
            mprotect(guard, p->page, PROT_NONE) == 0) {
            p->mprotect_guards++;
            return;
        }
        p->guard_mode = 2;
        fprintf(stderr, "janusrt: warning: guard-page budget spent (no MADV_GUARD_INSTALL);"
                        " further fiber stacks are protected by their canary only\n");
    }
}

/* Carve a new slab; called with p->lock held. Returns its stacks as a list. */
static jrt_stack *carve_slab(jrt_stack_pool *p, size_t *count)
{
    size_t bytes = p->slot_bytes * JRT_STACK_SLOTS_PER_SLAB;
    char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    jrt_slab *slab = malloc(sizeof *slab);
    if (!slab) { munmap(base, bytes); return NULL; }
    slab->base = base;
    slab->bytes = bytes;
    slab->next = p->slabs;
    p->slabs = slab;

    jrt_stack *list = NULL;
    for (size_t i = JRT_STACK_SLOTS_PER_SLAB; i-- > 0;) {
        char *slot = base + i * p->slot_bytes;
        install_guard(p, slot);
        jrt_stack *s = (jrt_stack *)(slot + p->slot_bytes - sizeof(jrt_stack));
        s->lo = slot + p->page;
        s->top = (char *)s;
        s->asan_fake = NULL;
        s->tsan_fiber = NULL;
        *(uint64_t *)s->lo = jrt_stack_canary(p, s);
        s->next = list;
        list = s;
    }
    atomic_fetch_add(&p->total_stacks, JRT_STACK_SLOTS_PER_SLAB);
    *count = JRT_STACK_SLOTS_PER_SLAB;
    return list;
}

int jrt_stack_refill(jrt_stack_pool *p, jrt_stack_cache *c)
{
    pthread_mutex_lock(&p->lock);
    if (p->free) {
        for (int i = 0; i < JRT_STACK_BATCH && p->free; i++) {
            jrt_stack *s = p->free;
            p->free = s->next;
            p->nfree--;
            s->next = c->free;
            c->free = s;
            c->n++;
        }
    } else {
        size_t n = 0;
        jrt_stack *list = carve_slab(p, &n);
        if (list) {
            jrt_stack *last = list;
            while (last->next) last = last->next;
            last->next = c->free;
            c->free = list;
            c->n += n;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return c->free != NULL;
}

void jrt_stack_overflow_half(jrt_stack_pool *p, jrt_stack_cache *c)
{
    /* Give the coldest half (the list tail) to the shared pool. */
    jrt_stack *keep = c->free;
    for (size_t i = 1; i < JRT_STACK_CACHE_MAX / 2; i++) keep = keep->next;
    jrt_stack *give = keep->next;
    keep->next = NULL;
    size_t ngive = c->n - JRT_STACK_CACHE_MAX / 2;
    c->n = JRT_STACK_CACHE_MAX / 2;
    jrt_stack *last = give;
    while (last->next) last = last->next;
    pthread_mutex_lock(&p->lock);
    last->next = p->free;
    p->free = give;
    p->nfree += ngive;
    pthread_mutex_unlock(&p->lock);
}

void jrt_stack_cache_flush(jrt_stack_pool *p, jrt_stack_cache *c)
{
    if (!c->free) return;
    jrt_stack *last = c->free;
    while (last->next) last = last->next;
    pthread_mutex_lock(&p->lock);
    last->next = p->free;
    p->free = c->free;
    p->nfree += c->n;
    pthread_mutex_unlock(&p->lock);
    c->free = NULL;
    c->n = 0;
}
