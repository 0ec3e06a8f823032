/*
 * events.c — writing records into the rings and the in-process merged reader.
 */
#include "events.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "scheduler.h"

static const char *const kind_names[JRT_EV_KIND_COUNT] = {
    "pad", "run_start", "worker_park", "worker_unpark", "nursery_open", "task_spawn",
    "task_push", "task_pop", "task_steal", "task_run", "task_yield", "task_block",
    "task_wake", "cancel_request", "cancel_observe", "task_done", "nursery_join",
    "nursery_close", "print", "line", "error", "run_end",
};

JRT_API const char *jrt_event_kind_name(int32_t kind)
{
    return kind >= 0 && kind < JRT_EV_KIND_COUNT ? kind_names[kind] : "unknown";
}

int jrt_events_init(jrt_runtime *rt)
{
    int n = rt->nworkers + 1;
    rt->rings = aligned_alloc(64, sizeof(jrt_ring) * (size_t)n);
    if (!rt->rings) return -1;
    memset(rt->rings, 0, sizeof(jrt_ring) * (size_t)n);
    uint64_t size = (uint64_t)rt->cfg.ring_kb * 1024;
    for (int i = 0; i < n; i++) {
        jrt_ring *r = &rt->rings[i];
        r->size = size;
        r->w = (int16_t)(i == rt->nworkers ? -1 : i);
        if (rt->output_on) {
            r->base = mmap(NULL, size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (r->base == MAP_FAILED) { r->base = NULL; return -1; }
        }
    }
    return 0;
}

void jrt_events_destroy(jrt_runtime *rt)
{
    if (!rt->rings) return;
    for (int i = 0; i <= rt->nworkers; i++)
        if (rt->rings[i].base) munmap(rt->rings[i].base, rt->rings[i].size);
    free(rt->rings);
    rt->rings = NULL;
}

uint64_t jrt_events_dropped(jrt_runtime *rt)
{
    uint64_t d = 0;
    for (int i = 0; i <= rt->nworkers; i++) d += rt->rings[i].dropped;
    return d;
}

/* Wait for the consumer to make room (deterministic mode). Stop/abandon end the wait
 * so a run nobody drains can still be torn down. */
static int wait_room(jrt_runtime *rt, jrt_ring *r, uint64_t tail, uint64_t need,
                     unsigned max_sleeps)
{
    for (unsigned spins = 0, sleeps = 0;; spins++) {
        uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (r->size - (tail - head) >= need) return 1;
        if (atomic_load_explicit(&rt->abandon, memory_order_relaxed)) return 0;
        if (spins < 100) sched_yield();
        else if (max_sleeps && ++sleeps > max_sleeps) return 0;
        else nanosleep(&(struct timespec){0, 100000}, NULL);
    }
}

/* --- live-mode event time --------------------------------------------------------------
 * A busy run emits millions of events and clock_gettime was a seventh of a worker's
 * time in skynet (~25 ns here, rdtsc ~9). So a worker ring interpolates: it keeps an
 * anchor pair (TSC, clock) and the rate measured since the run started (both ends read
 * with clock_gettime), and converts TSC deltas with it; every ANCHOR_TICKS it takes a
 * new anchor and a better rate, so the error stays far below a microsecond. t never
 * goes back on one ring (TRACE.md invariant 7), even across an anchor or if the thread
 * moves to a CPU whose TSC is a little behind. Deterministic mode uses virtual time;
 * the runtime ring (w = -1, rare) and CPUs without an invariant TSC use the clock. */
#define ANCHOR_TICKS (1u << 20)          /* ~0.3 ms at 3 GHz */
#define CALIBRATED_TICKS (1u << 20)      /* before this much run time: clock per event */

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
uint64_t jrt_event_tsc_start(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000007, &a, &b, &c, &d) || !(d & (1u << 8))) return 0;
    uint64_t t = __rdtsc();
    return t ? t : 1;
}
static inline uint64_t read_tsc(void) { return __rdtsc(); }
#else
uint64_t jrt_event_tsc_start(void) { return 0; }
static inline uint64_t read_tsc(void) { return 0; }
#endif

/* A (TSC, run ns) pair read close together; 0 when preempted in between (retry later). */
static int anchor_pair(jrt_runtime *rt, uint64_t *tsc, int64_t *ns)
{
    uint64_t a = read_tsc();
    *ns = jrt_mono_ns() - rt->t0;
    uint64_t b = read_tsc();
    *tsc = a + (b - a) / 2;
    return b - a < 20000;
}

static int64_t event_time(jrt_runtime *rt, jrt_ring *r)
{
    int64_t t;
    uint64_t tsc = read_tsc();
    if (JRT_LIKELY(tsc - r->anchor_tsc < r->next_anchor - r->anchor_tsc)) {
        t = r->anchor_ns +
            (int64_t)(((unsigned __int128)(tsc - r->anchor_tsc) * r->ns_per_tick) >> 32);
    } else {
        uint64_t atsc;
        int64_t ans;
        if (anchor_pair(rt, &atsc, &ans) && atsc - rt->tsc0 >= CALIBRATED_TICKS && ans > 0) {
            r->ns_per_tick = (uint64_t)(((unsigned __int128)ans << 32) / (atsc - rt->tsc0));
            r->anchor_tsc = atsc;
            r->anchor_ns = ans;
            r->next_anchor = atsc + ANCHOR_TICKS;
        }
        t = ans;   /* this event has the clock's own time */
    }
    if (t < r->last_t) t = r->last_t;
    r->last_t = t;
    return t;
}

/* Live mode, ring full: on a machine with as many busy workers as cores the reader gets
 * little CPU, so before dropping, yield the core once; a reader waiting for it drains
 * the ring and the event fits. 1: there is room now. */
static int give_reader_a_turn(jrt_ring *r, uint64_t tail, uint64_t need)
{
    sched_yield();
    return r->size - (tail - atomic_load_explicit(&r->head, memory_order_acquire)) >= need;
}

/* Live mode drops scheduling events when a ring is full, but never what the program
 * itself says or how the run ended: for those the worker waits for the consumer, up to
 * ~2 s (so a live run that nobody drains still ends). */
static int must_keep(int kind)
{
    return kind == JRT_EV_PRINT || kind == JRT_EV_ERROR || kind == JRT_EV_RUN_END;
}

uint64_t jrt_emit_slow(jrt_runtime *rt, jrt_worker *w, int kind, int64_t a, int64_t b,
                   int64_t c, int32_t d, int32_t e, const char *text, size_t len)
{
    jrt_ring *r = w ? w->ring : &rt->rings[rt->nworkers];
    if (!w) jrt_spin_lock(&r->lock);
    if (JRT_UNLIKELY(atomic_load_explicit(&rt->paused, memory_order_acquire)) &&
        kind != JRT_EV_RUN_END)
        jrt_gate_pass(rt);

    if (len > JRT_EVENT_TEXT_MAX) len = JRT_EVENT_TEXT_MAX;
    uint64_t need = (JRT_EVENT_HEADER_BYTES + len + 7) & ~(uint64_t)7;
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    uint64_t off = tail & (r->size - 1);
    uint64_t pad = r->size - off < need ? r->size - off : 0;
    /* seen_head is the consumer's head as last read (never ahead of it), so the room
     * it gives is a lower bound; read head again only when that is not enough. */
    if (r->size - (tail - r->seen_head) < pad + need)
        r->seen_head = atomic_load_explicit(&r->head, memory_order_acquire);
    if (r->size - (tail - r->seen_head) < pad + need) {
        int waited = rt->det ? wait_room(rt, r, tail, pad + need, 0)
                   : must_keep(kind) ? wait_room(rt, r, tail, pad + need, 20000)
                   : give_reader_a_turn(r, tail, pad + need);
        if (!waited) {
            r->dropped++;
            if (!w) jrt_spin_unlock(&r->lock);
            return JRT_NO_SEQ;
        }
        /* keep tail - seen_head <= size: the room check above relies on it */
        r->seen_head = atomic_load_explicit(&r->head, memory_order_acquire);
    }
    if (pad) {  /* fill the end of the ring; the record starts again at offset 0 */
        jrt_event *p = (jrt_event *)(r->base + off);
        p->size = (uint32_t)pad;
        p->kind = JRT_EV_PAD;
        tail += pad;
        off = 0;
    }
    jrt_event *ev = (jrt_event *)(r->base + off);
    ev->size = (uint32_t)need;
    ev->kind = (uint16_t)kind;
    ev->w = r->w;
    uint64_t seq = atomic_fetch_add_explicit(&rt->seq, 1, memory_order_relaxed);
    ev->seq = seq;
    ev->t = w && rt->tsc0 ? event_time(rt, r) : jrt_clock(rt);
    ev->a = a;
    ev->b = b;
    ev->c = c;
    ev->d = d;
    ev->e = e;
    ev->text_len = (uint32_t)len;
    ev->reserved = 0;
    if (len) {
        char *dst = (char *)(ev + 1);
        memcpy(dst, text, len);
        memset(dst + len, 0, need - JRT_EVENT_HEADER_BYTES - len);
    }
    atomic_store_explicit(&r->tail, tail + need, memory_order_release);
    if (!w) jrt_spin_unlock(&r->lock);
    return seq;
}

_Static_assert(sizeof(jrt_event) == JRT_EVENT_HEADER_BYTES, "event header is 64 bytes");

/* --- raw ring access for Java ------------------------------------------------------- */
JRT_API int32_t jrt_ring_count(jrt_runtime *rt) { return rt->nworkers + 1; }
JRT_API void *jrt_ring_base(jrt_runtime *rt, int32_t i)
{
    return i >= 0 && i <= rt->nworkers ? rt->rings[i].base : NULL;
}
JRT_API int64_t jrt_ring_size(jrt_runtime *rt, int32_t i)
{
    return i >= 0 && i <= rt->nworkers ? (int64_t)rt->rings[i].size : 0;
}
JRT_API uint64_t *jrt_ring_head(jrt_runtime *rt, int32_t i)
{
    return i >= 0 && i <= rt->nworkers ? (uint64_t *)&rt->rings[i].head : NULL;
}
JRT_API uint64_t *jrt_ring_tail(jrt_runtime *rt, int32_t i)
{
    return i >= 0 && i <= rt->nworkers ? (uint64_t *)&rt->rings[i].tail : NULL;
}

/* --- merged reader -------------------------------------------------------------------
 * Each ring is in seq order, so the next record overall is at the front of some ring;
 * we copy it when its seq is exactly the next one expected, and stop when no ring has it
 * yet (it is being written). rhead is where we are in a ring; head is published every
 * PUBLISH_BYTES and at the end of a read, so producers get room back early without a
 * store to their cache line per record. */
static jrt_event *front(jrt_ring *r)
{
    for (;;) {
        if (r->rhead == r->seen_tail) {
            r->seen_tail = atomic_load_explicit(&r->tail, memory_order_acquire);
            if (r->rhead == r->seen_tail) return NULL;
        }
        jrt_event *ev = (jrt_event *)(r->base + (r->rhead & (r->size - 1)));
        if (ev->kind != JRT_EV_PAD) return ev;
        r->rhead += ev->size;
    }
}

/* head tells the producer how much room it has: published every PUBLISH_BYTES of a
 * ring read (well before a ring could fill) and when a read returns. */
#define PUBLISH_BYTES 16384

static void publish(jrt_ring *r)
{
    atomic_store_explicit(&r->head, r->rhead, memory_order_release);
}

JRT_API int64_t jrt_events_read(jrt_runtime *rt, void *buf, int64_t cap)
{
    if (!rt->output_on) return 0;
    char *out = buf;
    int64_t used = 0;
    int n = rt->nworkers + 1;
    int last = 0;   /* consecutive events mostly come from one ring: look there first */
    for (;;) {
        jrt_event *best = front(&rt->rings[last]);
        if (!best || best->seq != rt->read_seq) {
            best = NULL;
            for (int i = 0; i < n; i++) {
                jrt_event *ev = i == last ? NULL : front(&rt->rings[i]);
                if (ev && ev->seq == rt->read_seq) { best = ev; last = i; break; }
            }
        }
        if (!best || used + best->size > cap) break;
        jrt_ring *bring = &rt->rings[last];
        memcpy(out + used, best, best->size);
        used += best->size;
        rt->read_seq++;
        uint64_t before = bring->rhead;
        bring->rhead += best->size;
        if ((before ^ bring->rhead) & ~(uint64_t)(PUBLISH_BYTES - 1)) publish(bring);
    }
    for (int i = 0; i < n; i++)
        if (atomic_load_explicit(&rt->rings[i].head, memory_order_relaxed) != rt->rings[i].rhead)
            publish(&rt->rings[i]);
    return used;
}
