/*
 * sync.h — the small synchronisation and arithmetic tools every runtime file uses:
 * a spin-then-yield lock, futex wait/wake, a splitmix/xorshift generator, the clock.
 * All inline; nothing here knows about tasks or workers.
 */
#ifndef JRT_SYNC_H
#define JRT_SYNC_H

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define JRT_LIKELY(x) __builtin_expect(!!(x), 1)
#define JRT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define JRT_CACHELINE 64
#define JRT_NOINLINE __attribute__((noinline))
#define JRT_ALWAYS_INLINE inline __attribute__((always_inline))

static inline void jrt_cpu_relax(void) { __builtin_ia32_pause(); }

/* --- spin lock: short critical sections only (list links, flags) ----------------- */
typedef struct { atomic_uint v; } jrt_spin;

static inline void jrt_spin_lock(jrt_spin *l)
{
    for (unsigned n = 0;; n++) {
        if (!atomic_exchange_explicit(&l->v, 1, memory_order_acquire))
            return;
        while (atomic_load_explicit(&l->v, memory_order_relaxed)) {
            /* spin, then yield, then sleep: a holder may be stopped at the pause gate */
            if (++n < 64) jrt_cpu_relax();
            else if (n < 1000) sched_yield();
            else nanosleep(&(struct timespec){0, 50000}, NULL);
        }
    }
}
static inline void jrt_spin_unlock(jrt_spin *l)
{
    atomic_store_explicit(&l->v, 0, memory_order_release);
}

/* --- futex ---------------------------------------------------------------------------- */
static inline void jrt_futex_wait(atomic_uint *addr, unsigned expected, int64_t timeout_ns)
{
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
        tsp = &ts;
    }
    syscall(SYS_futex, (void *)addr, FUTEX_WAIT_PRIVATE, expected, tsp, NULL, 0);
}
static inline void jrt_futex_wake(atomic_uint *addr, int n)
{
    syscall(SYS_futex, (void *)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

/* --- clock ---------------------------------------------------------------------------- */
static inline int64_t jrt_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- random: splitmix64 to seed, xorshift64* to draw -------------------------------- */
static inline uint64_t jrt_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static inline uint64_t jrt_rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}
/* Uniform in [0, n) for n > 0 (multiply-shift; the bias is below 2^-32 for n < 2^32). */
static inline uint64_t jrt_rng_below(uint64_t *s, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)jrt_rng_next(s) * n) >> 64);
}

#endif
