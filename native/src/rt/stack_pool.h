/*
 * stack_pool.h — fiber stacks: carved from big slabs, guarded, canaried, coloured,
 * recycled LIFO per worker.
 *
 * Memory layout of one slab (each slot = one stack; addresses grow to the right):
 *
 *   | guard | usable stack ............ [colour] jrt_stack | guard | usable ... |
 *     page    ^lo (canary word)          ^top    ^header
 *
 * - The guard page is installed with madvise(MADV_GUARD_INSTALL), which marks pages
 *   inside one mapping without splitting it: a slab of 256 stacks is ONE kernel
 *   mapping whatever the number of guards, so a million stacks stay far below
 *   vm.max_map_count (65530). Without that (kernel < 6.13) we fall back to mprotect,
 *   which splits the mapping at every guard; we then stop guarding after a budget of
 *   JRT_MPROTECT_GUARD_BUDGET stacks (canary only beyond it) and say so once on stderr.
 * - The canary word sits at `lo`, the lowest usable address; it is checked every time
 *   a fiber switches back to its worker.
 * - The top of the stack is moved down by a random multiple of 64 bytes (0..960) each
 *   time a stack is handed out, so that the hot top frames of many fibers do not all
 *   land on the same cache sets.
 * - The jrt_stack header (the fiber's saved registers) lives at the very top of the slot,
 *   so a pooled stack costs the task control block nothing.
 *
 * Pools: each worker keeps a LIFO list of free stacks (most recently used = warmest
 * first; no lock, no system call). A list longer than JRT_STACK_CACHE_MAX gives half to
 * the shared pool (mutex); an empty list takes a batch from the shared pool or carves a
 * new slab. Slabs are unmapped only when the runtime is destroyed.
 */
#ifndef JRT_STACK_POOL_H
#define JRT_STACK_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "fiber.h"

#define JRT_STACK_SLOTS_PER_SLAB 256
#define JRT_STACK_CACHE_MAX 512
#define JRT_STACK_BATCH 64
#define JRT_MPROTECT_GUARD_BUDGET 20000

typedef struct jrt_stack {
    jrt_ctx ctx;              /* registers of the fiber suspended on this stack */
    struct jrt_stack *next;   /* free-list link while pooled */
    char *lo;                 /* lowest usable byte; the canary word is here */
    char *top;                /* coloured top the current fiber started from */
    void *asan_fake;          /* ASan fake-stack handle across a switch */
    void *tsan_fiber;         /* TSan fiber context (created once per stack) */
} jrt_stack;

typedef struct jrt_slab {
    struct jrt_slab *next;
    char *base;
    size_t bytes;
} jrt_slab;

/* Shared part (one per runtime). */
typedef struct jrt_stack_pool {
    pthread_mutex_t lock;
    jrt_stack *free;          /* shared free list (guarded by lock) */
    size_t nfree;
    jrt_slab *slabs;          /* every slab, for unmapping at the end */
    size_t slot_bytes;        /* guard + usable */
    size_t usable_bytes;
    size_t page;
    uint64_t canary_key;
    int guard_mode;           /* 0 madvise guard, 1 mprotect, 2 none (budget spent) */
    size_t mprotect_guards;
    _Atomic int64_t total_stacks;
} jrt_stack_pool;

/* Per-worker cache (owner thread only). */
typedef struct jrt_stack_cache {
    jrt_stack *free;
    size_t n;
} jrt_stack_cache;

int jrt_stack_pool_init(jrt_stack_pool *p, size_t stack_bytes, uint64_t seed);
void jrt_stack_pool_destroy(jrt_stack_pool *p);

/* Slow paths of take/give (shared pool, new slab, overflow). */
int jrt_stack_refill(jrt_stack_pool *p, jrt_stack_cache *c);
void jrt_stack_overflow_half(jrt_stack_pool *p, jrt_stack_cache *c);

/* Take a stack (colour from *rng) / give it back; owner worker only. NULL on OOM.
 * Inline: LIFO pop/push on the worker's list, no lock, no atomic. */
static inline jrt_stack *jrt_stack_take(jrt_stack_pool *p, jrt_stack_cache *c, uint64_t *rng)
{
    if (__builtin_expect(!c->free, 0) && !jrt_stack_refill(p, c)) return NULL;
    jrt_stack *s = c->free;
    c->free = s->next;
    c->n--;
    /* xorshift64* step (sync.h's jrt_rng_next, inlined here to keep this header light) */
    uint64_t x = *rng;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *rng = x;
    size_t colour = (size_t)((x * 0x2545F4914F6CDD1Dull) >> 60) * 64;  /* 0..15 lines */
    s->top = (char *)s - colour;
    return s;
}

static inline void jrt_stack_give(jrt_stack_pool *p, jrt_stack_cache *c, jrt_stack *s)
{
    s->next = c->free;
    c->free = s;
    if (__builtin_expect(++c->n > JRT_STACK_CACHE_MAX, 0)) jrt_stack_overflow_half(p, c);
}
/* Return a whole cache to the shared pool (worker exit). */
void jrt_stack_cache_flush(jrt_stack_pool *p, jrt_stack_cache *c);

static inline uint64_t jrt_stack_canary(const jrt_stack_pool *p, const jrt_stack *s)
{
    return p->canary_key ^ (uint64_t)(uintptr_t)s->lo;
}
static inline int jrt_stack_canary_ok(const jrt_stack_pool *p, const jrt_stack *s)
{
    return *(volatile uint64_t *)s->lo == jrt_stack_canary(p, s);
}
/* The guard page below a stack: [lo - page, lo). */
static inline int jrt_stack_guard_hit(const jrt_stack_pool *p, const jrt_stack *s,
                                      const void *addr)
{
    const char *a = addr;
    return a >= s->lo - p->page && a < s->lo + sizeof(uint64_t);
}

#endif
