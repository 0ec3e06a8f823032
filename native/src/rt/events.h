/*
 * events.h — per-worker single-producer event rings (layout documented in janusrt.h).
 *
 * One ring per worker plus one for the runtime itself. A worker's ring is written only
 * by the thread currently acting as that worker (its OS thread in live mode, the driver
 * in deterministic mode), so the producer side needs no lock; the runtime ring is
 * shared by non-worker threads and takes `lock`. The consumer side (jrt_events_read or
 * a Java reader) only advances `head`.
 *
 * Emission order, in jrt_emit: pass the pause gate (control.c), make room (live: yield
 * the core once, then drop and count; deterministic: wait), take the next global seq,
 * read the clock (live: interpolated from the TSC, see events.c), write the
 * record, publish tail. Taking seq only once room is certain keeps seq gap-free even
 * when events are dropped.
 */
#ifndef JRT_EVENTS_H
#define JRT_EVENTS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stddef.h>

#include "janusrt.h"
#include "sync.h"

#define JRT_EVENT_TEXT_MAX 4096

typedef struct jrt_ring {
    _Alignas(64) _Atomic uint64_t head;   /* consumer: bytes consumed */
    _Alignas(64) _Atomic uint64_t tail;   /* producer: bytes published */
    _Alignas(64) char *base;
    uint64_t size;                        /* power of two */
    uint64_t dropped;                     /* producer-side count (live mode) */
    int16_t w;
    jrt_spin lock;                        /* producers of the runtime ring only */
    /* producer side: live-mode event clock of a worker ring (events.c, event_time) */
    uint64_t anchor_tsc, next_anchor;
    int64_t anchor_ns, last_t;
    uint64_t ns_per_tick;                 /* 32.32 fixed point; 0 until calibrated */
    uint64_t seen_head;                   /* producer's last read of head (room check) */
    /* consumer-side state for jrt_events_read: where it is, and its last read of tail.
     * Each side reads the other's index only when its cached one is used up, so the
     * two cache lines do not bounce on every event. */
    _Alignas(64) uint64_t rhead;
    uint64_t seen_tail;
} jrt_ring;

struct jrt_runtime;
struct jrt_worker;

int jrt_events_init(struct jrt_runtime *rt);
void jrt_events_destroy(struct jrt_runtime *rt);

/* Emit one event from worker w (NULL: the runtime ring). Cheap no-op when events are
 * off; use the JRT_EMIT macro so the arguments are not even computed then. */
/* Returns the event's seq, or JRT_NO_SEQ when it was dropped (live mode, ring full). */
#define JRT_NO_SEQ UINT64_MAX
uint64_t jrt_emit_slow(struct jrt_runtime *rt, struct jrt_worker *w, int kind, int64_t a,
                       int64_t b, int64_t c, int32_t d, int32_t e, const char *text,
                       size_t len);
#define JRT_EMIT(rt, w, kind, a, b, c, d, e)                                          \
    do {                                                                               \
        if (JRT_UNLIKELY((rt)->events_on))                                             \
            jrt_emit_slow((rt), (w), (kind), (a), (b), (c), (d), (e), NULL, 0);       \
    } while (0)
/* The program's own events and run_start/run_end: also in JRT_EVENTS_OUTPUT mode. */
#define JRT_EMIT_OUTPUT(rt, w, kind, a, b, c, d, e) \
    JRT_EMIT_OUTPUT_TEXT(rt, w, kind, a, b, c, d, e, NULL, 0)
#define JRT_EMIT_OUTPUT_TEXT(rt, w, kind, a, b, c, d, e, text, len)                   \
    do {                                                                               \
        if ((rt)->output_on)                                                           \
            jrt_emit_slow((rt), (w), (kind), (a), (b), (c), (d), (e), (text), (len)); \
    } while (0)
#define JRT_EMIT_TEXT(rt, w, kind, a, b, c, d, e, text, len)                          \
    do {                                                                               \
        if (JRT_UNLIKELY((rt)->events_on))                                             \
            jrt_emit_slow((rt), (w), (kind), (a), (b), (c), (d), (e), (text), (len)); \
    } while (0)

uint64_t jrt_events_dropped(struct jrt_runtime *rt);

/* The TSC when the CPU's is invariant (constant rate, runs in idle states), else 0:
 * live-mode worker events then take their time from it (see event_time). */
uint64_t jrt_event_tsc_start(void);

#endif
