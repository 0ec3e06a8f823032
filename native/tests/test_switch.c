/* test_switch.c — the context switch (callee-saved registers survive, the trampoline
 * aligns the stack) and the stack pool (LIFO reuse, canary, colouring, guard). */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "fiber.h"
#include "harness.h"
#include "stack_pool.h"

static jrt_ctx main_ctx, f_ctx;
static int counter;
static uintptr_t entry_sp;

static void fiber(void *arg)
{
    entry_sp = (uintptr_t)__builtin_frame_address(0);
    int *p = arg;
    for (;;) {
        (*p)++;
        counter++;
        jrt_switch(&f_ctx, &main_ctx);
    }
}

/* Keep values in callee-saved registers across a switch (the compiler must preserve
 * them across the call; the switch must too). */
static __attribute__((noinline)) long many_live_values(void)
{
    volatile long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;
    long x = a * 3, y = b * 5, z = c * 7, u = d * 11, v = e * 13, w = f * 17;
    jrt_switch(&main_ctx, &f_ctx);
    return x + y + z + u + v + w;
}

int main(void)
{
    static char stack[16384] __attribute__((aligned(16)));
    int value = 0;
    jrt_ctx_init(&f_ctx, stack + sizeof stack, fiber, &value);
    jrt_switch(&main_ctx, &f_ctx);
    CHECK(value == 1, "first switch ran the fiber entry with its argument");
    CHECK(entry_sp > (uintptr_t)stack && entry_sp <= (uintptr_t)(stack + sizeof stack),
          "fiber runs on its own stack");
    for (int i = 0; i < 1000; i++) jrt_switch(&main_ctx, &f_ctx);
    CHECK(value == 1001 && counter == 1001, "1000 round trips resume where they left off");
    long r = many_live_values();
    CHECK(r == 3 + 10 + 21 + 44 + 65 + 102, "callee-saved registers survive a switch");

    jrt_stack_pool pool;
    jrt_stack_pool_init(&pool, 8192, 42);
    jrt_stack_cache cache = { 0 };
    uint64_t rng = 12345;
    jrt_stack *s1 = jrt_stack_take(&pool, &cache, &rng);
    CHECK(s1 != NULL, "take a stack");
    CHECK(jrt_stack_canary_ok(&pool, s1), "fresh stack has its canary");
    CHECK(((uintptr_t)((char *)s1 - s1->top)) % 64 == 0 && (char *)s1 - s1->top <= 960,
          "top coloured by a multiple of 64 bytes (%ld)", (long)((char *)s1 - s1->top));
    jrt_stack_give(&pool, &cache, s1);
    jrt_stack *s2 = jrt_stack_take(&pool, &cache, &rng);
    CHECK(s2 == s1, "pool is LIFO: the warm stack comes back");
    int colours[16] = { 0 }, distinct = 0;
    for (int i = 0; i < 64; i++) {
        jrt_stack_give(&pool, &cache, s2);
        s2 = jrt_stack_take(&pool, &cache, &rng);
        int c = (int)(((char *)s2 - s2->top) / 64);
        if (!colours[c]++) distinct++;
    }
    CHECK(distinct >= 8, "colouring varies (%d distinct offsets in 64 takes)", distinct);
    /* Guard page present: mincore-free check via madvise would fault; instead use
     * the documented layout: the page below lo must not be the previous stack's data. */
    CHECK((uintptr_t)s2->lo % pool.page == 0, "usable stack starts on a page boundary");
    jrt_stack *many[300];
    for (int i = 0; i < 300; i++) many[i] = jrt_stack_take(&pool, &cache, &rng);
    int ok = 1;
    for (int i = 0; i < 300; i++) ok &= jrt_stack_canary_ok(&pool, many[i]);
    CHECK(ok && atomic_load(&pool.total_stacks) >= 512, "a second slab is carved on demand");
    /* Switch into a pooled stack. */
    jrt_ctx_init(&f_ctx, many[7]->top, fiber, &value);
    jrt_switch(&main_ctx, &f_ctx);
    CHECK(value == 1003 && entry_sp < (uintptr_t)many[7]->top && entry_sp > (uintptr_t)many[7]->lo,
          "a fiber runs on a pooled stack");
    CHECK(jrt_stack_canary_ok(&pool, many[7]), "canary intact after running");
    for (int i = 0; i < 300; i++) jrt_stack_give(&pool, &cache, many[i]);
    jrt_stack_give(&pool, &cache, s2);
    jrt_stack_cache_flush(&pool, &cache);
    jrt_stack_pool_destroy(&pool);
    return 0;
}
