/*
 * vm.c — the bytecode interpreter loop and the glue that runs it on libjanusrt tasks.
 *
 * One function, run_loop(), executes frames of one task until its bottom frame has
 * exited. It keeps ip, sp and the frame in locals, dispatches with computed goto over a
 * table generated from opcodes.def, and leaves the loop only through runtime calls
 * (which may switch fibers; the VM state lives in VMTask, never in thread-locals).
 *
 * Costs kept out of the hot path:
 *   - refcounts: ints/floats/bools are tags < T_STR and never touch a counter;
 *   - budgets: instructions are counted in a register and passed to jrt_charge in
 *     batches at backward jumps, calls and returns (so the quantum is honoured within
 *     about VM_CHARGE_BATCH + one loop body); allocations are summed in VMTask and
 *     passed to jrt_mem_charge at the same points;
 *   - lines: looked up (binary search of the line table) only when an event or an
 *     error needs one, except in line-event mode, where a second dispatch table routes
 *     every instruction through a stub that reports line changes;
 *   - calls: arguments stay where the caller pushed them and become the callee's first
 *     slots; a plain RETURN with no defers and no implicit nursery pops the frame
 *     inline.
 *
 * Exit of a frame (BYTECODE.md §4) is a small state machine (label exit_step): join the
 * implicit nursery, then run each defer as an ordinary VM frame (FRAME_DEFER, so a
 * defer may await), then pop the frame and deliver the return value or the error.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "janusvm.h"
#include "scheduler.h" /* internal: see task_cancel_requested and jvm_start */
#include "task.h"
#include "vm.h"

/* ---- errors ----------------------------------------------------------------------- */

const char *error_set_name(const Module *m, Value err)
{
    int s = ERR_SET(err);
    return s < m->nsets ? const_cstr(m, m->sets[s].name) : "?";
}

const char *error_variant_name(const Module *m, Value err)
{
    int s = ERR_SET(err), v = ERR_VARIANT(err);
    if (s < m->nsets && v < m->sets[s].nvariants) return const_cstr(m, m->sets[s].variants[v]);
    return "?";
}

void error_render(const Module *m, Value err, StrBuf *b)
{
    sb_puts(b, error_set_name(m, err));
    sb_putc(b, '.');
    sb_puts(b, error_variant_name(m, err));
}

/* ---- outcome boxes (jrt_outcome.value / .error) ---------------------------------- *
 * A finished task hands the runtime a heap box holding its value (or error) and the
 * rendered text of its outcome; the runtime copies the text when the body returns and
 * calls the drop hook when the task is gone. The text must not live on the fiber stack:
 * the body's frame is dead by the time the runtime copies it. The value word is the
 * box's address (never 0: nil is boxed too). */
typedef struct ResultBox {
    Value v;
    char text[];
} ResultBox;

static uint64_t box_value(Value v, const char *text)     /* takes v's reference */
{
    size_t n = strlen(text);
    ResultBox *box = malloc(sizeof(ResultBox) + n + 1);
    if (!box) abort();
    box->v = v;
    memcpy(box->text, text, n + 1);
    return (uint64_t)(uintptr_t)box;
}

static const char *box_text(uint64_t w) { return ((ResultBox *)(uintptr_t)w)->text; }

static Value unbox_borrowed(uint64_t w)
{
    return w ? ((ResultBox *)(uintptr_t)w)->v : NIL_VAL;
}

static void drop_value_word(uint64_t w)
{
    if (w) {
        ResultBox *box = (ResultBox *)(uintptr_t)w;
        vrelease(NULL, box->v);
        free(box);
    }
}

/* Error objects (jrt_outcome.error): a refcounted box, since a failed child's error
 * can be held both by the child and by its parent's outcome (retain hook). */
typedef struct ErrBox {
    _Atomic int32_t rc;
    Value err;
    char text[];
} ErrBox;

static ErrBox *error_box_new(Value err, const char *text)
{
    size_t n = strlen(text);
    ErrBox *b = malloc(sizeof *b + n + 1);
    if (!b) abort();
    atomic_init(&b->rc, 1);
    b->err = err;
    memcpy(b->text, text, n + 1);
    return b;
}

static void drop_error_box(void *e)
{
    ErrBox *b = e;
    if (atomic_fetch_sub_explicit(&b->rc, 1, memory_order_acq_rel) == 1) free(b);
}

static void retain_error_box(void *e)
{
    atomic_fetch_add_explicit(&((ErrBox *)e)->rc, 1, memory_order_relaxed);
}

static int is_cancelled_error(Value e)
{
    return ERR_SET(e) == SET_RUNTIME && ERR_VARIANT(e) == E_Cancelled;
}

/* Did AWAIT in this task already raise the error object `e` (so a join must not raise
 * it a second time; BYTECODE.md §5)? */
static int error_delivered(VMTask *vt, const jrt_outcome *o)
{
    if (o->kind != JRT_OUTCOME_ERROR || !o->error) return 0;
    for (uint32_t i = 0; i < vt->ndelivered; i++)
        if (vt->delivered[i].error == o->error) return 1;
    return 0;
}

static void note_delivered(VMTask *vt, jrt_task *t, const jrt_outcome *o)
{
    if (o->kind != JRT_OUTCOME_ERROR || !o->error || error_delivered(vt, o)) return;
    if (vt->ndelivered == vt->delivered_cap) {
        vt->delivered_cap = vt->delivered_cap ? vt->delivered_cap * 2 : 4;
        vt->delivered = realloc(vt->delivered, sizeof(*vt->delivered) * vt->delivered_cap);
        if (!vt->delivered) abort();
    }
    jrt_task_retain(t);
    vt->delivered[vt->ndelivered].task = t;
    vt->delivered[vt->ndelivered].error = o->error;
    vt->ndelivered++;
}

/* ---- task start records ---------------------------------------------------------- */

typedef struct TaskStart {
    struct TaskStart *prev, *next;   /* its shard's pending list until the body starts */
    Module *m;
    uint16_t fidx;
    uint8_t argc;
    uint8_t shard;          /* whose pending list */
    int64_t bytes;          /* bytes of the copies, charged to the child when it starts */
    Value callee;           /* NIL, or the (copied) closure */
    Value args[];
} TaskStart;

_Static_assert(sizeof(((Module *)0)->shard) / sizeof(struct VmShard) == JRT_MAX_WORKERS + 1,
               "a shard per worker and one for other threads");

/* The shard of the worker running the caller; valid until the next switch. */
static uint8_t self_shard(void)
{
    int32_t w = jrt_worker_id();
    return (uint8_t)(w >= 0 ? w : VM_SHARD_OTHER);
}

static void shard_lock(struct VmShard *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire)) {
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
    }
}

static void shard_unlock(struct VmShard *s)
{
    atomic_flag_clear_explicit(&s->lock, memory_order_release);
}

static void pending_add(Module *m, TaskStart *st)
{
    st->shard = self_shard();
    struct VmShard *s = &m->shard[st->shard];
    atomic_fetch_add_explicit(&s->start_structs, 1, memory_order_relaxed);
    shard_lock(s);
    st->prev = NULL;
    st->next = s->pending;
    if (s->pending) s->pending->prev = st;
    s->pending = st;
    shard_unlock(s);
}

static void pending_unlink(struct VmShard *s, TaskStart *st)   /* s locked */
{
    if (st->prev) st->prev->next = st->next;
    else s->pending = st->next;
    if (st->next) st->next->prev = st->prev;
}

static void pending_remove(Module *m, TaskStart *st)
{
    struct VmShard *s = &m->shard[st->shard];
    shard_lock(s);
    pending_unlink(s, st);
    shard_unlock(s);
}

static void task_start_free(TaskStart *st, VMTask *vt);

/* A body starts: its start record leaves its pending list, its VMTask joins the live
 * list of this worker's shard (one lock round trip when the task was not stolen);
 * live_remove when it ends. */
static void live_add(Module *m, VMTask *vt, TaskStart *st)
{
    vt->shard = self_shard();
    struct VmShard *s = &m->shard[vt->shard];
    if (st && st->shard != vt->shard) {
        pending_remove(m, st);
        st = NULL;
    }
    shard_lock(s);
    if (st) pending_unlink(s, st);
    vt->live_prev = NULL;
    vt->live_next = s->live;
    if (s->live) s->live->live_prev = vt;
    s->live = vt;
    shard_unlock(s);
}

static void live_remove(Module *m, VMTask *vt)
{
    struct VmShard *s = &m->shard[vt->shard];
    shard_lock(s);
    if (vt->live_prev) vt->live_prev->live_next = vt->live_next;
    else s->live = vt->live_next;
    if (vt->live_next) vt->live_next->live_prev = vt->live_prev;
    shard_unlock(s);
}

/* Free the start records of tasks that never ran: at the end of main (the runtime is
 * alive, every task is finished), or after a stopped run is destroyed (how = VT_DEAD). */
static void pending_free_all(Module *m, VMTask *how)
{
    for (int i = 0; i <= VM_SHARD_OTHER; i++) {
        struct VmShard *s = &m->shard[i];
        shard_lock(s);
        TaskStart *list = s->pending;
        s->pending = NULL;
        shard_unlock(s);
        while (list) {
            TaskStart *st = list;
            list = st->next;
            task_start_free(st, how);
        }
    }
}

static void task_start_free(TaskStart *st, VMTask *vt)
{
    vrelease(vt, st->callee);
    for (int i = 0; i < st->argc; i++) vrelease(vt, st->args[i]);
    atomic_fetch_sub_explicit(&st->m->shard[self_shard()].start_structs, 1, memory_order_relaxed);
    free(st);
}

/* ---- VMTask -------------------------------------------------------------------------- */

/* Most tasks need at most VM_INLINE_STACK values to start with: their VMTask blocks
 * all have that size and are recycled through the freeing worker's list in the module
 * (owner only: the worker index is read and used with no switch in between). A block of
 * another size, or one freed off the workers (reclaim after a stop), goes to malloc. */
#define VT_CACHE_MAX 128

static VMTask *vmtask_new(Module *m, uint32_t stack_hint)
{
    uint32_t cap = stack_hint <= VM_INLINE_STACK ? VM_INLINE_STACK : stack_hint;
    VMTask *vt = NULL;
    int32_t w = cap == VM_INLINE_STACK ? jrt_worker_id() : -1;
    if (w >= 0 && m->shard[w].vt_free) {
        vt = (VMTask *)m->shard[w].vt_free;
        m->shard[w].vt_free = m->shard[w].vt_free->next;
        m->shard[w].vt_n--;
    } else {
        vt = malloc(sizeof *vt + sizeof(Value) * cap);
    }
    if (!vt) abort();
    memset(vt, 0, offsetof(VMTask, frames0));   /* the inline arrays need no clearing */
    vt->m = m;
    vt->task_id = jrt_task_id();
    vt->stack_cap = cap;
    vt->stack = vt->stack0;
    vt->frames_cap = VM_INLINE_FRAMES;
    vt->frames = vt->frames0;
    vt->cur_line = -1;
    vt->objs.prev = vt->objs.next = &vt->objs;
    sb_init(&vt->trace);
    return vt;
}

static void vmtask_free(VMTask *vt)
{
    for (uint32_t i = 0; i < vt->ndefers; i++) vrelease(vt, vt->defers[i]);
    for (uint32_t i = 0; i < vt->ndelivered; i++) jrt_task_release(vt->delivered[i].task);
    free(vt->delivered);
    atomic_fetch_add_explicit(&vt->m->shard[self_shard()].instructions, vt->ops_total,
                              memory_order_relaxed);
    if (vt->stack != vt->stack0) free(vt->stack);
    if (vt->frames != vt->frames0) free(vt->frames);
    free(vt->blocks);
    free(vt->defers);
    sb_free(&vt->trace);
    vm_flush_mem(vt);
    int32_t w = vt->stack == vt->stack0 && vt->stack_cap == VM_INLINE_STACK ? jrt_worker_id() : -1;
    Module *m = vt->m;
    if (w >= 0 && m->shard[w].vt_n < VT_CACHE_MAX) {
        struct VtFree *b = (struct VtFree *)vt;
        b->next = m->shard[w].vt_free;
        m->shard[w].vt_free = b;
        m->shard[w].vt_n++;
        return;
    }
    free(vt);
}

/* realloc for an array that may still be the inline one */
static void *grow_array(void *p, const void *inline_p, size_t old_bytes, size_t new_bytes)
{
    if (p != inline_p) return realloc(p, new_bytes);
    void *q = malloc(new_bytes);
    if (q) memcpy(q, p, old_bytes);
    return q;
}

void vm_flush_mem(VMTask *vt)
{
    int64_t d = vt->mem_pending;
    if (!d) return;
    vt->mem_pending = 0;
    Module *m = vt->m;
    if (d > 0) atomic_fetch_add_explicit(&m->bytes_allocated, d, memory_order_relaxed);
    int64_t live = atomic_fetch_add_explicit(&m->bytes_live, d, memory_order_relaxed) + d;
    if (live > atomic_load_explicit(&m->bytes_peak, memory_order_relaxed))
        atomic_store_explicit(&m->bytes_peak, live, memory_order_relaxed);
    if (jrt_mem_charge(d) == JRT_EBUDGET && d > 0) vt->mem_over = 1;
}

static int grow_stack(VMTask *vt, uint32_t need)
{
    if (need > VM_MAX_STACK) return -1;
    uint32_t cap = vt->stack_cap;
    while (cap < need) cap *= 2;
    Value *s = grow_array(vt->stack, vt->stack0, sizeof(Value) * vt->stack_cap, sizeof(Value) * cap);
    if (!s) return -1;
    vt->stack = s;
    vt->stack_cap = cap;
    return 0;
}

static int grow_frames(VMTask *vt)
{
    if (vt->frames_cap >= VM_MAX_FRAMES) return -1;
    uint32_t cap = vt->frames_cap * 2;
    if (cap > VM_MAX_FRAMES) cap = VM_MAX_FRAMES;
    Frame *f = grow_array(vt->frames, vt->frames0, sizeof(Frame) * vt->frames_cap, sizeof(Frame) * cap);
    if (!f) return -1;
    vt->frames = f;
    vt->frames_cap = cap;
    return 0;
}

static void push_block(VMTask *vt, Block b)
{
    if (vt->nblocks == vt->blocks_cap) {
        vt->blocks_cap = vt->blocks_cap ? vt->blocks_cap * 2 : 8;
        vt->blocks = realloc(vt->blocks, sizeof(Block) * vt->blocks_cap);
        if (!vt->blocks) abort();
    }
    vt->blocks[vt->nblocks++] = b;
}

static void push_defer(VMTask *vt, Value v)
{
    if (vt->ndefers == vt->defers_cap) {
        vt->defers_cap = vt->defers_cap ? vt->defers_cap * 2 : 8;
        vt->defers = realloc(vt->defers, sizeof(Value) * vt->defers_cap);
        if (!vt->defers) abort();
    }
    vt->defers[vt->ndefers++] = v;
}

static void set_line(VMTask *vt, int32_t line)
{
    if (line != vt->cur_line) {
        vt->cur_line = line;
        jrt_line(line);
    }
}

/* A call's frame is set up lean: while slow_exit is 0, implicit/kind/exiting/joined are
 * not stored and mean NULL/FRAME_CALL/EXIT_NONE/0. Anything that needs them (a defer,
 * an implicit nursery, an error unwinding the frame) makes the frame slow first. */
static inline void frame_make_slow(Frame *f)
{
    if (!f->slow_exit) {
        f->implicit = NULL;
        f->kind = FRAME_CALL;
        f->exiting = EXIT_NONE;
        f->joined = 0;
        f->slow_exit = 1;
    }
}

/* The nursery a task started now belongs to (BYTECODE.md §5). */
static jrt_nursery *target_nursery(VMTask *vt)
{
    for (uint32_t i = vt->nframes; i-- > 0;) {
        Frame *f = &vt->frames[i];
        uint32_t end = i + 1 < vt->nframes ? vt->frames[i + 1].block_base : vt->nblocks;
        for (uint32_t b = end; b-- > f->block_base;)
            if (vt->blocks[b].kind == BLOCK_NURSERY) return vt->blocks[b].nursery;
        if (!(f->fn->flags & F_NO_NURSERY)) {
            frame_make_slow(f);
            if (!f->implicit) {
                if (jrt_nursery_open(&f->implicit) != 0) return NULL;
                f->joined = 0;
                f->slow_exit = 1;
            }
            return f->implicit;
        }
    }
    return NULL;
}

static jrt_outcome task_entry(void *arg);

/* janusrt.h has no query for another task's cancellation flag yet (`h.is_cancelled()`):
 * use jrt_task_is_cancelled when the runtime provides it, else read the flag. */
extern int32_t jrt_task_is_cancelled(const jrt_task *h) __attribute__((weak));
static int task_cancel_requested(jrt_task *h)
{
    if (jrt_task_is_cancelled) return jrt_task_is_cancelled(h) != 0;
    return (atomic_load_explicit(&((struct jrt_task *)h)->cancel, memory_order_acquire) &
            JRT_CANCEL_REQUESTED) != 0;
}

/* Start function fidx (callee: NIL or its closure) as a child task. Returns 0 or a
 * Runtime variant + 1. */
static int start_task(VMTask *vt, uint16_t fidx, Value callee, Value *args, int argc,
                      Value *handle)
{
    Module *m = vt->m;
    const Function *f = &m->funcs[fidx];
    if (!(f->flags & F_ASYNC)) {
        snprintf(vt->msg, sizeof vt->msg, "`%s` is not an async function", f->name->data);
        return E_TypeMismatch + 1;
    }
    if (f->arity != argc) {
        snprintf(vt->msg, sizeof vt->msg, "`%s` takes %u arguments, got %d", f->name->data, f->arity, argc);
        return E_TypeMismatch + 1;
    }
    jrt_nursery *n = target_nursery(vt);
    TaskStart *st = malloc(sizeof(TaskStart) + sizeof(Value) * (size_t)argc);
    if (!st) abort();
    st->m = m;
    st->fidx = fidx;
    st->argc = (uint8_t)argc;
    st->callee = NIL_VAL;
    /* copies are allocated outside any task's account, then charged to the child */
    int failed = 0;
    for (int i = 0; i < argc; i++) st->args[i] = NIL_VAL;
    for (int i = 0; i < argc && !failed; i++)
        failed = value_deep_copy(NULL, args[i], &st->args[i], 1) != 0;
    if (!failed && callee.tag != T_NIL) failed = value_deep_copy(NULL, callee, &st->callee, 1) != 0;
    st->bytes = 0;
    if (failed) {
        task_start_free(st, NULL);
        snprintf(vt->msg, sizeof vt->msg, "argument too deeply nested to copy into a task");
        return E_StackOverflow + 1;
    }
    jrt_task *h = NULL;
    pending_add(m, st);
    int rc = jrt_spawn(n, task_entry, st, fidx, &h);
    if (rc != 0) {
        pending_remove(m, st);
        task_start_free(st, NULL);
        switch (rc) {
        case JRT_ECANCELLED: return E_Cancelled + 1;
        case JRT_ESPAWNLIMIT: case JRT_ETASKLIMIT:
            snprintf(vt->msg, sizeof vt->msg, rc == JRT_ESPAWNLIMIT ? "too many live tasks in one nursery"
                                                                    : "too many tasks in this run");
            return E_SpawnLimit + 1;
        default: return E_BudgetExceeded + 1;
        }
    }
    Value hv = {.tag = T_TASK, .x32 = fidx};
    hv.as.task = h;
    *handle = hv;
    return 0;
}

/* Convert an awaited outcome into a value for this task (copied) or an error. Returns
 * 0 with *out, or 1 with *out = the error value to raise. */
static int take_outcome(VMTask *vt, const jrt_outcome *o, Value *out)
{
    if (o->kind == JRT_OUTCOME_OK) {
        if (value_deep_copy(vt, unbox_borrowed(o->value), out, 1) != 0) {
            *out = error_val(SET_RUNTIME, E_StackOverflow, vt->task_id, vt->cur_line);
            return 1;
        }
        return 0;
    }
    if (o->kind == JRT_OUTCOME_ERROR && o->error) {
        *out = ((ErrBox *)o->error)->err;
        return 1;
    }
    *out = error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line);
    return 1;
}

static void render_error_text(const Module *m, Value err, char *buf, size_t cap)
{
    StrBuf b;
    sb_init(&b);
    error_render(m, err, &b);
    snprintf(buf, cap, "%s", b.data ? b.data : "?");
    sb_free(&b);
}

/* ---- the loop -------------------------------------------------------------------- */

enum { RUN_OK = 0, RUN_ERROR = 1 };

static const char *fn_name(const Function *f) { return f->name->data; }

/* Source line of the instruction ip has just started (ip is past its opcode); at the
 * very start of a function (a parameter check failed) the declaration line. */
static int32_t ip_line(const Function *f, const uint8_t *ip)
{
    if (ip <= f->code) return (int32_t)f->line;
    return function_line_at(f, (uint32_t)(ip - f->code - 1));
}

/* ip_line with a one-entry cache: a task's checkpoints and spawns are mostly in loops
 * (one AWAIT or ASYNC_CALL run many times), and the line table search is not free. */
static inline int32_t task_line(VMTask *vt, const Function *f, const uint8_t *ip)
{
    if (ip != vt->line_ip) {
        vt->line_ip = ip;
        vt->line_of_ip = ip_line(f, ip);
    }
    return vt->line_of_ip;
}

/* Append "  at FUNC (FILE:LINE)" for a frame the current error leaves. */
static void trace_frame(VMTask *vt, const Function *f, const uint8_t *ip)
{
    if (vt->trace_frames >= 8) {
        if (vt->trace_frames++ == 8) sb_puts(&vt->trace, "\n  ...");
        return;
    }
    if (vt->trace.len) sb_putc(&vt->trace, '\n');
    sb_puts(&vt->trace, "  at ");
    sb_puts(&vt->trace, fn_name(f));
    sb_puts(&vt->trace, " (");
    sb_puts(&vt->trace, const_cstr(vt->m, vt->m->source_name));
    sb_putc(&vt->trace, ':');
    sb_put_int(&vt->trace, ip_line(f, ip));
    sb_putc(&vt->trace, ')');
    vt->trace_frames++;
}

static int compare_values(Value a, Value b, int *res)   /* 0 ok, -1 type mismatch */
{
    if (a.tag == T_STR && b.tag == T_STR) {
        uint32_t n = a.as.s->len < b.as.s->len ? a.as.s->len : b.as.s->len;
        int c = memcmp(a.as.s->data, b.as.s->data, n);
        *res = c ? (c < 0 ? -1 : 1) : (a.as.s->len < b.as.s->len ? -1 : a.as.s->len > b.as.s->len);
        return 0;
    }
    if ((a.tag == T_INT || a.tag == T_FLOAT) && (b.tag == T_INT || b.tag == T_FLOAT)) {
        if (a.tag == T_INT && b.tag == T_INT) {
            *res = a.as.i < b.as.i ? -1 : a.as.i > b.as.i;
            return 0;
        }
        double x = a.tag == T_INT ? (double)a.as.i : a.as.f;
        double y = b.tag == T_INT ? (double)b.as.i : b.as.f;
        *res = x < y ? -1 : x > y ? 1 : (x == y ? 0 : 2);  /* 2: unordered (NaN) */
        return 0;
    }
    return -1;
}

/* 16-byte atomic access to a var global (tag + payload as one word). */
#if defined(__x86_64__)
static inline int g_cas(Global *g, uint64_t *elo, uint64_t *ehi, uint64_t nlo, uint64_t nhi)
{
    uint8_t ok;
    __asm__ __volatile__("lock cmpxchg16b %1\n\tsete %0"
                         : "=q"(ok), "+m"(*(volatile uint64_t(*)[2])g->word), "+a"(*elo), "+d"(*ehi)
                         : "b"(nlo), "c"(nhi)
                         : "cc", "memory");
    return ok;
}
static inline void g_load(Global *g, uint64_t *lo, uint64_t *hi)
{
    *lo = 0;
    *hi = 0;
    g_cas(g, lo, hi, 0, 0);   /* fails and loads, or stores the same 0,0 */
}
#else
static atomic_flag g_locks[64];
static inline void g_lock(Global *g)
{
    while (atomic_flag_test_and_set_explicit(&g_locks[((uintptr_t)g >> 4) & 63], memory_order_acquire)) {}
}
static inline void g_unlock(Global *g)
{
    atomic_flag_clear_explicit(&g_locks[((uintptr_t)g >> 4) & 63], memory_order_release);
}
static inline int g_cas(Global *g, uint64_t *elo, uint64_t *ehi, uint64_t nlo, uint64_t nhi)
{
    g_lock(g);
    int ok = g->word[0] == *elo && g->word[1] == *ehi;
    if (ok) { g->word[0] = nlo; g->word[1] = nhi; }
    else { *elo = g->word[0]; *ehi = g->word[1]; }
    g_unlock(g);
    return ok;
}
static inline void g_load(Global *g, uint64_t *lo, uint64_t *hi)
{
    g_lock(g);
    *lo = g->word[0];
    *hi = g->word[1];
    g_unlock(g);
}
#endif

static Value global_value(uint64_t lo, uint64_t hi)
{
    Value v = {.tag = (uint8_t)hi};
    v.as.i = (int64_t)lo;
    return v;
}

static void global_store(Global *g, Value v)
{
    uint64_t lo, hi;
    g_load(g, &lo, &hi);
    while (!g_cas(g, &lo, &hi, (uint64_t)v.as.i, v.tag)) {}
}

/* Run frames of vt until the frame count drops back to `floor`. The caller has pushed
 * the bottom frame. Returns RUN_OK with *result, or RUN_ERROR with *result = error. */
static int run_loop(VMTask *vt, uint32_t floor, Value *result)
{
    static void *const fast_table[Q__END] = {
#define OP(name, bytes, layout, pops, pushes, doc) &&op_##name,
#include "opcodes.def"
        [Q_LC_LT_JIF] = &&q_LC_LT_JIF, [Q_LC_LE_JIF] = &&q_LC_LE_JIF,
        [Q_LC_GT_JIF] = &&q_LC_GT_JIF, [Q_LC_GE_JIF] = &&q_LC_GE_JIF,
        [Q_LC_EQ_JIF] = &&q_LC_EQ_JIF, [Q_LC_NE_JIF] = &&q_LC_NE_JIF,
        [Q_LL_LT_JIF] = &&q_LL_LT_JIF, [Q_LL_LE_JIF] = &&q_LL_LE_JIF,
        [Q_LL_GT_JIF] = &&q_LL_GT_JIF, [Q_LL_GE_JIF] = &&q_LL_GE_JIF,
        [Q_LL_EQ_JIF] = &&q_LL_EQ_JIF, [Q_LL_NE_JIF] = &&q_LL_NE_JIF,
        [Q_LC_ADD] = &&q_LC_ADD, [Q_LC_SUB] = &&q_LC_SUB, [Q_LC_MUL] = &&q_LC_MUL,
        [Q_LOCAL_RETURN] = &&q_LOCAL_RETURN,
    };
    static void *const line_table[Q__END] = {
#define OP(name, bytes, layout, pops, pushes, doc) &&op_line_stub,
#include "opcodes.def"
        [OP__COUNT ... Q__END - 1] = &&op_line_stub,
    };
    Module *const m = vt->m;
    void *const *dt = m->line_events ? line_table : fast_table;
    const Value *const consts = m->consts;
    Frame *fr;
    const uint8_t *ip;
    Value *stack, *sp, *slots;
    uint32_t ops = 0;
    Value err;
    int ev;                  /* runtime error variant being raised */

#define LOAD_FRAME()                                                                       \
    do {                                                                                   \
        fr = &vt->frames[vt->nframes - 1];                                                 \
        stack = vt->stack;                                                                 \
        slots = stack + fr->base;                                                          \
        ip = fr->ip;                                                                       \
    } while (0)
#define SAVE() (fr->ip = ip, vt->sp = (uint32_t)(sp - stack))
#define RESTORE_SP() (sp = vt->stack + vt->sp, stack = vt->stack, slots = stack + fr->base)
#define DISPATCH()                                                                         \
    do {                                                                                   \
        ops++;                                                                             \
        goto *dt[*ip++];                                                                   \
    } while (0)
#define RD8() (ip += 1, ip[-1])
#define RD16() (ip += 2, rd16(ip - 2))
#define RD32() (ip += 4, rd32(ip - 4))
#define PUSH(v) (*sp++ = (v))
    /* an int needs only its tag and payload written (the other header bytes of a
     * non-error value are never read) */
#define PUSH_INT(n) (sp->tag = T_INT, sp->as.i = (n), sp++)
#define POP() (*--sp)
#define THROW(variant, ...)                                                                \
    do {                                                                                   \
        snprintf(vt->msg, sizeof vt->msg, __VA_ARGS__);                                    \
        ev = (variant);                                                                    \
        goto throw_runtime;                                                                \
    } while (0)
#define THROW_CODE(code) /* code = variant + 1 from a helper, msg already set */          \
    do {                                                                                   \
        ev = (code) - 1;                                                                   \
        goto throw_runtime;                                                                \
    } while (0)
    /* Budget point: pass counted ops (and pending allocation bytes) to the runtime.
     * Memory is checked here too whatever the op count: a loop that doubles a string
     * must meet BudgetExceeded after a few iterations, not after a batch of ops. */
#define CHARGE_POINT()                                                                     \
    do {                                                                                   \
        if (__builtin_expect(ops >= VM_CHARGE_BATCH || vt->mem_pending > VM_MEM_BATCH, 0)) { \
            SAVE();                                                                        \
            int crc_ = jrt_charge(ops + vt->bulk_ops);                                     \
            vt->ops_total += ops + vt->bulk_ops;                                           \
            ops = 0;                                                                       \
            vt->bulk_ops = 0;                                                              \
            if (vt->mem_pending > VM_MEM_BATCH || vt->mem_pending < -VM_MEM_BATCH)         \
                vm_flush_mem(vt);                                                          \
            RESTORE_SP();                                                                  \
            if (crc_ == JRT_ESTOPPED) { ev = E_Cancelled; vt->msg[0] = 0; goto throw_runtime; } \
            if (vt->mem_over) {                                                            \
                vt->mem_over = 0;                                                          \
                THROW(E_BudgetExceeded, "task memory budget exceeded");                    \
            }                                                                              \
        }                                                                                  \
    } while (0)

    LOAD_FRAME();
    sp = stack + vt->sp;
    DISPATCH();

op_line_stub: {
    ip--;
    int32_t line = function_line_at(fr->fn, (uint32_t)(ip - fr->fn->code));
    if (line != vt->cur_line) {
        SAVE();
        set_line(vt, line);
    }
    goto *fast_table[*ip++];
}

    /* ---- superinstructions (quicken.c); ip is just past the LOAD_LOCAL opcode ---- */
    /* LOAD_LOCAL s; CONST k | LOAD_LOCAL s2; CMP; JUMP_IF_FALSE t  (ip[0..1] s,
     * ip[3..4] k or s2, ip[7..10] t; the sequence ends at ip + 11) */
#define Q_CMP_JIF(label, B, OPR)                                                           \
    label: {                                                                               \
        Value a = slots[rd16(ip)];                                                         \
        Value b = B;                                                                       \
        if (__builtin_expect(a.tag != T_INT || b.tag != T_INT, 0)) goto op_LOAD_LOCAL;     \
        ops += 3;                                                                          \
        if (a.as.i OPR b.as.i) {                                                           \
            ip += 11;                                                                      \
        } else {                                                                           \
            const uint8_t *dst = fr->fn->code + rd32(ip + 7);                              \
            ip += 11;                                                                      \
            if (dst < ip) CHARGE_POINT();                                                  \
            ip = dst;                                                                      \
        }                                                                                  \
        DISPATCH();                                                                        \
    }
    Q_CMP_JIF(q_LC_LT_JIF, consts[rd16(ip + 3)], <)
    Q_CMP_JIF(q_LC_LE_JIF, consts[rd16(ip + 3)], <=)
    Q_CMP_JIF(q_LC_GT_JIF, consts[rd16(ip + 3)], >)
    Q_CMP_JIF(q_LC_GE_JIF, consts[rd16(ip + 3)], >=)
    Q_CMP_JIF(q_LC_EQ_JIF, consts[rd16(ip + 3)], ==)
    Q_CMP_JIF(q_LC_NE_JIF, consts[rd16(ip + 3)], !=)
    Q_CMP_JIF(q_LL_LT_JIF, slots[rd16(ip + 3)], <)
    Q_CMP_JIF(q_LL_LE_JIF, slots[rd16(ip + 3)], <=)
    Q_CMP_JIF(q_LL_GT_JIF, slots[rd16(ip + 3)], >)
    Q_CMP_JIF(q_LL_GE_JIF, slots[rd16(ip + 3)], >=)
    Q_CMP_JIF(q_LL_EQ_JIF, slots[rd16(ip + 3)], ==)
    Q_CMP_JIF(q_LL_NE_JIF, slots[rd16(ip + 3)], !=)
#undef Q_CMP_JIF
    /* LOAD_LOCAL s; CONST k; ADD|SUB|MUL  (ip[3..4] k; ends at ip + 6). On overflow the
     * original instructions run and ADD raises Overflow. */
#define Q_ARITH(label, BUILTIN)                                                            \
    label: {                                                                               \
        Value a = slots[rd16(ip)];                                                         \
        int64_t r;                                                                         \
        if (__builtin_expect(a.tag != T_INT, 0) ||                                         \
            __builtin_expect(BUILTIN(a.as.i, consts[rd16(ip + 3)].as.i, &r), 0))           \
            goto op_LOAD_LOCAL;                                                            \
        ops += 2;                                                                          \
        ip += 6;                                                                           \
        PUSH_INT(r);                                                                       \
        DISPATCH();                                                                        \
    }
    Q_ARITH(q_LC_ADD, __builtin_add_overflow)
    Q_ARITH(q_LC_SUB, __builtin_sub_overflow)
    Q_ARITH(q_LC_MUL, __builtin_mul_overflow)
#undef Q_ARITH
q_LOCAL_RETURN: {
    Value v = slots[rd16(ip)];
    vretain(v);
    PUSH(v);
    ip += 3;
    ops++;
    goto op_RETURN;
}

op_NOP:
    DISPATCH();
op_CONST:
    PUSH(consts[RD16()]);   /* immortal strings need no retain */
    DISPATCH();
op_NIL:
    PUSH(NIL_VAL);
    DISPATCH();
op_TRUE:
    PUSH(BOOL_VAL(1));
    DISPATCH();
op_FALSE:
    PUSH(BOOL_VAL(0));
    DISPATCH();
op_POP: {
    Value v = POP();
    vrelease(vt, v);
    DISPATCH();
}
op_DUP:
    vretain(sp[-1]);
    sp[0] = sp[-1];
    sp++;
    DISPATCH();
op_DUP2:
    vretain(sp[-2]);
    vretain(sp[-1]);
    sp[0] = sp[-2];
    sp[1] = sp[-1];
    sp += 2;
    DISPATCH();

op_LOAD_LOCAL: {
    Value v = slots[RD16()];
    vretain(v);
    PUSH(v);
    DISPATCH();
}
op_STORE_LOCAL: {
    Value *s = &slots[RD16()];
    Value old = *s;
    *s = POP();
    vrelease(vt, old);
    DISPATCH();
}
op_BOX_LOCAL: {
    Value *s = &slots[RD16()];
    Value c = {.tag = T_CELL};
    c.as.cell = cell_new(vt, *s);
    *s = c;
    DISPATCH();
}
op_LOAD_CELL: {
    Value c = slots[RD16()];
    if (c.tag != T_CELL) THROW(E_TypeMismatch, "internal: slot is not a cell");
    Value v = c.as.cell->v;
    vretain(v);
    PUSH(v);
    DISPATCH();
}
op_STORE_CELL: {
    Value c = slots[RD16()];
    if (c.tag != T_CELL) THROW(E_TypeMismatch, "internal: slot is not a cell");
    Value old = c.as.cell->v;
    c.as.cell->v = POP();
    vrelease(vt, old);
    DISPATCH();
}
op_LOAD_CAPTURE: {
    Value v = fr->closure->caps[RD8()];
    vretain(v);
    PUSH(v);
    DISPATCH();
}
op_LOAD_CAPTURE_CELL: {
    Value c = fr->closure->caps[RD8()];
    if (c.tag != T_CELL) THROW(E_TypeMismatch, "internal: capture is not a cell");
    Value v = c.as.cell->v;
    vretain(v);
    PUSH(v);
    DISPATCH();
}
op_STORE_CAPTURE_CELL: {
    Value c = fr->closure->caps[RD8()];
    if (c.tag != T_CELL) THROW(E_TypeMismatch, "internal: capture is not a cell");
    Value old = c.as.cell->v;
    c.as.cell->v = POP();
    vrelease(vt, old);
    DISPATCH();
}

op_GET_GLOBAL: {
    Global *g = &m->globals[RD16()];
    if (g->kind == GLOBAL_VAR) {
        uint64_t lo, hi;
        g_load(g, &lo, &hi);
        PUSH(global_value(lo, hi));
    } else {
        Value v = g->let_value, c;
        if (v.tag >= T_ARRAY && v.tag <= T_CELL) {
            SAVE();
            if (value_deep_copy(vt, v, &c, 1) != 0) THROW(E_StackOverflow, "constant too deeply nested");
            RESTORE_SP();
        } else {
            vretain(v);
            c = v;
        }
        PUSH(c);
    }
    DISPATCH();
}
op_SET_GLOBAL: {
    Global *g = &m->globals[RD16()];
    Value v = POP();
    if (g->kind == GLOBAL_VAR) {
        if (v.tag != T_INT && v.tag != T_FLOAT && v.tag != T_BOOL) {
            const char *tn = value_type_name(v);
            vrelease(vt, v);
            THROW(E_TypeMismatch, "top-level var `%s` holds only int, float or bool, not %s",
                  const_cstr(m, g->name), tn);
        }
        global_store(g, v);
    } else {
        Value old = g->let_value;
        g->let_value = v;
        vrelease(vt, old);
    }
    DISPATCH();
}
op_GLOBAL_RMW: {
    Global *g = &m->globals[RD16()];
    int op = RD8();
    Value v = POP();
    uint64_t lo, hi;
    g_load(g, &lo, &hi);
    for (;;) {
        Value cur = global_value(lo, hi), res;
        int rc = arith(vt, op, cur, v, &res);
        if (rc) {
            vrelease(vt, v);
            THROW_CODE(rc);
        }
        if (res.tag != T_INT && res.tag != T_FLOAT && res.tag != T_BOOL) {
            vrelease(vt, res);
            vrelease(vt, v);
            THROW(E_TypeMismatch, "top-level var `%s` holds only int, float or bool", const_cstr(m, g->name));
        }
        if (g_cas(g, &lo, &hi, (uint64_t)res.as.i, res.tag)) break;
    }
    vrelease(vt, v);
    DISPATCH();
}

op_ADD: {
    Value b = sp[-1], a = sp[-2];
    if (__builtin_expect(a.tag == T_INT && b.tag == T_INT, 1)) {
        int64_t r;
        if (__builtin_add_overflow(a.as.i, b.as.i, &r)) THROW(E_Overflow, "integer overflow in +");
        sp--;
        sp[-1].as.i = r;
        DISPATCH();
    }
    goto arith_slow;
}
op_SUB: {
    Value b = sp[-1], a = sp[-2];
    if (__builtin_expect(a.tag == T_INT && b.tag == T_INT, 1)) {
        int64_t r;
        if (__builtin_sub_overflow(a.as.i, b.as.i, &r)) THROW(E_Overflow, "integer overflow in -");
        sp--;
        sp[-1].as.i = r;
        DISPATCH();
    }
    goto arith_slow;
}
op_MUL: {
    Value b = sp[-1], a = sp[-2];
    if (a.tag == T_INT && b.tag == T_INT) {
        int64_t r;
        if (__builtin_mul_overflow(a.as.i, b.as.i, &r)) THROW(E_Overflow, "integer overflow in *");
        sp--;
        sp[-1].as.i = r;
        DISPATCH();
    }
    goto arith_slow;
}
op_DIV:
op_MOD:
arith_slow: {
    int op = ip[-1] - OP_ADD;
    Value b = sp[-1], a = sp[-2], r;
    SAVE();
    int rc = arith(vt, op, a, b, &r);
    RESTORE_SP();
    if (rc) THROW_CODE(rc);
    sp -= 2;
    vrelease(vt, a);
    vrelease(vt, b);
    PUSH(r);
    DISPATCH();
}
op_NEG: {
    Value a = sp[-1];
    if (a.tag == T_INT) {
        if (a.as.i == INT64_MIN) THROW(E_Overflow, "integer overflow in unary -");
        sp[-1].as.i = -a.as.i;
    } else if (a.tag == T_FLOAT) {
        sp[-1].as.f = -a.as.f;
    } else {
        THROW(E_TypeMismatch, "unary - needs a number, got %s", value_type_name(a));
    }
    DISPATCH();
}
op_NOT: {
    Value a = sp[-1];
    if (a.tag != T_BOOL) THROW(E_TypeMismatch, "`not` needs a bool, got %s", value_type_name(a));
    sp[-1].as.i = !a.as.i;
    DISPATCH();
}
op_EQ:
op_NE: {
    Value b = sp[-1], a = sp[-2];
    int eq = value_equal(a, b);
    if (a.tag == T_STR && b.tag == T_STR) vt->bulk_ops += a.as.s->len >> VM_BULK_SHIFT;
    else if (a.tag == T_ARRAY && b.tag == T_ARRAY) vt->bulk_ops += a.as.a->len;
    if (ip[-1] == OP_NE) eq = !eq;
    sp -= 2;
    vrelease(vt, a);
    vrelease(vt, b);
    PUSH(BOOL_VAL(eq));
    DISPATCH();
}
op_LT:
op_LE:
op_GT:
op_GE: {
    Value b = sp[-1], a = sp[-2];
    int c, r;
    uint8_t op = ip[-1];
    if (__builtin_expect(a.tag == T_INT && b.tag == T_INT, 1)) {
        c = a.as.i < b.as.i ? -1 : a.as.i > b.as.i;
    } else if (compare_values(a, b, &c) != 0) {
        THROW(E_TypeMismatch, "cannot compare %s with %s", value_type_name(a), value_type_name(b));
    }
    switch (op) {
    case OP_LT: r = c == -1; break;
    case OP_LE: r = c == -1 || c == 0; break;
    case OP_GT: r = c == 1; break;
    default: r = c == 1 || c == 0; break;
    }
    sp -= 2;
    vrelease(vt, a);
    vrelease(vt, b);
    PUSH(BOOL_VAL(r));
    DISPATCH();
}

op_JUMP: {
    uint32_t t = RD32();
    const uint8_t *dst = fr->fn->code + t;
    if (dst < ip) CHARGE_POINT();
    ip = dst;
    DISPATCH();
}
op_JUMP_IF_FALSE:
op_JUMP_IF_TRUE: {
    Value c = sp[-1];
    if (__builtin_expect(c.tag != T_BOOL, 0))
        THROW(E_TypeMismatch, "condition must be a bool, got %s", value_type_name(c));
    uint8_t op = ip[-1];
    uint32_t t = RD32();
    sp--;
    if ((op == OP_JUMP_IF_TRUE) == (c.as.i != 0)) {
        const uint8_t *dst = fr->fn->code + t;
        if (dst < ip) CHARGE_POINT();
        ip = dst;
    }
    DISPATCH();
}

op_LOAD_FUNC:
    PUSH(FUNC_VAL(RD16()));
    DISPATCH();
op_MAKE_CLOSURE: {
    uint16_t fi = RD16();
    uint8_t n = RD8();
    Closure *c = closure_new(vt, fi, n);
    sp -= n;
    memcpy(c->caps, sp, sizeof(Value) * n);   /* references move into the closure */
    Value v = {.tag = T_CLOSURE};
    v.as.cl = c;
    PUSH(v);
    DISPATCH();
}

    /* ---- calls: all three kinds meet at do_call with callee, base and ret set ---- */
    {
        const Function *callee;
        Closure *cclosure;
        uint32_t cbase, cret;
        uint8_t argc;

    op_CALL_FUNC:
        callee = &m->funcs[RD16()];
        argc = RD8();
        cclosure = NULL;
        cbase = (uint32_t)(sp - stack) - argc;
        cret = cbase;
        goto do_call;
    op_CALL: {
        argc = RD8();
        Value fv = sp[-1 - argc];
        if (fv.tag == T_FUNC) {
            callee = &m->funcs[fv.as.i];
            cclosure = NULL;
        } else if (fv.tag == T_CLOSURE) {
            callee = &m->funcs[fv.as.cl->fidx];
            cclosure = fv.as.cl;
        } else {
            THROW(E_TypeMismatch, "cannot call a %s", value_type_name(fv));
        }
        if (callee->flags & F_ASYNC)
            THROW(E_TypeMismatch, "`%s` is async: start it with async or await", fn_name(callee));
        if (callee->arity != argc)
            THROW(E_TypeMismatch, "`%s` takes %u arguments, got %u", fn_name(callee), callee->arity, argc);
        cbase = (uint32_t)(sp - stack) - argc;
        cret = cbase - 1;
        goto do_call;
    }
    do_call: {
        CHARGE_POINT();
        if (__builtin_expect(vt->nframes == vt->frames_cap, 0)) {
            if (grow_frames(vt) != 0) THROW(E_StackOverflow, "too many nested calls (limit %d)", VM_MAX_FRAMES);
            fr = &vt->frames[vt->nframes - 1];
        }
        uint32_t need = cbase + callee->frame_need;
        if (__builtin_expect(need > vt->stack_cap, 0)) {
            SAVE();
            if (grow_stack(vt, need) != 0) THROW(E_StackOverflow, "VM stack exhausted");
            RESTORE_SP();
        }
        fr->ip = ip;
        Frame *nf = &vt->frames[vt->nframes++];
        nf->fn = callee;
        nf->base = cbase;
        nf->ret = cret;
        nf->block_base = vt->nblocks;
        nf->defer_base = vt->ndefers;
        nf->closure = cclosure;
        nf->slow_exit = 0;   /* implicit, kind, exiting, joined: see frame_make_slow */
        fr = nf;
        slots = stack + cbase;
        if (callee->nlocals > argc) {
            for (uint32_t i = argc; i < callee->nlocals; i++) slots[i] = NIL_VAL;
            ops += callee->nlocals >> 4;   /* clearing many locals is work the budget sees */
        }
        sp = slots + callee->nlocals;
        ip = callee->code;
        if (callee->check_params) {
            for (int i = 0; i < callee->arity; i++) {
                uint8_t pt = callee->ptags[i];
                if (__builtin_expect(pt == slots[i].tag || pt == 0xFF, 1)) continue;
                if (pt != 0 || !type_check(m, callee->params[i], &slots[i]))
                    THROW(E_TypeMismatch, "parameter `%s` of `%s` expects %s, got %s",
                          const_cstr(m, callee->param_names[i]), fn_name(callee),
                          type_spec_name(m, callee->params[i]), value_type_name(slots[i]));
            }
        }
        DISPATCH();
    }
    }

op_CALL_BUILTIN: {
    uint8_t id = RD8(), argc = RD8();
    Value r;
    SAVE();
    int rc = builtin_call(vt, id, sp - argc, argc, &r);
    RESTORE_SP();
    if (rc) THROW_CODE(rc);
    for (int i = 0; i < argc; i++) vrelease(vt, sp[-1 - i]);
    sp -= argc;
    PUSH(r);
    DISPATCH();
}
op_CALL_METHOD: {
    uint8_t id = RD8(), argc = RD8();
    Value r;
    SAVE();
    int rc = method_call(vt, id, sp - argc - 1, &r);
    RESTORE_SP();
    if (rc) THROW_CODE(rc);
    for (int i = 0; i <= argc; i++) vrelease(vt, sp[-1 - i]);
    sp -= argc + 1;
    PUSH(r);
    DISPATCH();
}

op_RETURN: {
    Value v = POP();
    const Function *f = fr->fn;
    if (f->rtag != 0xFF && f->rtag != v.tag && (f->rtag != 0 || !type_check(m, f->ret, &v))) {
        const char *tn = value_type_name(v);
        vrelease(vt, v);
        THROW(E_TypeMismatch, "`%s` must return %s, got %s", fn_name(f), type_spec_name(m, f->ret), tn);
    }
    CHARGE_POINT();
    if (__builtin_expect(!fr->slow_exit, 1)) {
        for (Value *p = stack + fr->ret; p < sp; p++)
            if (p->tag >= T_STR) vrelease(vt, *p);
        sp = stack + fr->ret;
        vt->nframes--;
        fr = &vt->frames[vt->nframes - 1];
        slots = stack + fr->base;
        ip = fr->ip;
        PUSH(v);
        DISPATCH();
    }
    fr->exiting = EXIT_RETURN;
    fr->pending = v;
    goto exit_step;
}

op_NEW_ARRAY: {
    uint16_t n = RD16();
    Array *a = array_new(vt, n);
    sp -= n;
    if (n) memcpy(a->items, sp, sizeof(Value) * n);
    a->len = n;
    PUSH(ARRAY_VAL(a));
    DISPATCH();
}
op_NEW_STRUCT: {
    uint16_t si = RD16();
    const StructDef *d = &m->structs[si];
    Value *fv = sp - d->nfields;
    for (int i = 0; i < d->nfields; i++) {
        if (!type_check(m, d->field_types[i], &fv[i]))
            THROW(E_TypeMismatch, "field `%s` of `%s` expects %s, got %s", const_cstr(m, d->field_names[i]),
                  const_cstr(m, d->name), type_spec_name(m, d->field_types[i]), value_type_name(fv[i]));
    }
    Struct *s = struct_new(vt, si, d->nfields);
    memcpy(s->fields, fv, sizeof(Value) * d->nfields);
    sp = fv;
    Value v = {.tag = T_STRUCT};
    v.as.st = s;
    PUSH(v);
    DISPATCH();
}
op_GET_FIELD:
op_SET_FIELD: {
    uint8_t op = ip[-1];
    uint16_t k = RD16();
    Value o = op == OP_GET_FIELD ? sp[-1] : sp[-2];
    if (o.tag != T_STRUCT)
        THROW(E_TypeMismatch, "a %s has no field `%s`", value_type_name(o), const_cstr(m, k));
    Struct *s = o.as.st;
    const StructDef *d = &m->structs[s->sidx];
    int fi = -1;
    for (int i = 0; i < d->nfields; i++)
        if (d->field_names[i] == k) { fi = i; break; }
    if (fi < 0) THROW(E_TypeMismatch, "struct `%s` has no field `%s`", const_cstr(m, d->name), const_cstr(m, k));
    if (op == OP_GET_FIELD) {
        Value v = s->fields[fi];
        vretain(v);
        sp[-1] = v;
        vrelease(vt, o);
    } else {
        if (!type_check(m, d->field_types[fi], &sp[-1]))
            THROW(E_TypeMismatch, "field `%s` of `%s` expects %s, got %s", const_cstr(m, k), const_cstr(m, d->name),
                  type_spec_name(m, d->field_types[fi]), value_type_name(sp[-1]));
        Value old = s->fields[fi];
        s->fields[fi] = sp[-1];
        sp -= 2;
        vrelease(vt, old);
        vrelease(vt, o);
    }
    DISPATCH();
}
op_INDEX_GET: {
    Value i = sp[-1], a = sp[-2];
    if (a.tag != T_ARRAY) THROW(E_TypeMismatch, "cannot index a %s", value_type_name(a));
    if (i.tag != T_INT) THROW(E_TypeMismatch, "array index must be an int, got %s", value_type_name(i));
    if (i.as.i < 0 || i.as.i >= a.as.a->len)
        THROW(E_IndexOutOfBounds, "index %lld out of bounds for length %u", (long long)i.as.i, a.as.a->len);
    Value v = a.as.a->items[i.as.i];
    vretain(v);
    sp -= 2;
    vrelease(vt, a);
    PUSH(v);
    DISPATCH();
}
op_INDEX_SET: {
    Value v = sp[-1], i = sp[-2], a = sp[-3];
    if (a.tag != T_ARRAY) THROW(E_TypeMismatch, "cannot index a %s", value_type_name(a));
    if (i.tag != T_INT) THROW(E_TypeMismatch, "array index must be an int, got %s", value_type_name(i));
    if (i.as.i < 0 || i.as.i >= a.as.a->len)
        THROW(E_IndexOutOfBounds, "index %lld out of bounds for length %u", (long long)i.as.i, a.as.a->len);
    Value old = a.as.a->items[i.as.i];
    a.as.a->items[i.as.i] = v;
    sp -= 3;
    vrelease(vt, old);
    vrelease(vt, a);
    DISPATCH();
}
op_LEN: {
    Value a = sp[-1];
    int64_t n;
    if (a.tag == T_ARRAY) n = a.as.a->len;
    else if (a.tag == T_STR) n = a.as.s->len;
    else THROW(E_TypeMismatch, "len of a %s", value_type_name(a));
    vrelease(vt, a);
    sp[-1] = INT_VAL(n);
    DISPATCH();
}
op_MAKE_ERROR: {
    uint16_t set = RD16(), var = RD16();
    PUSH(error_val(set, var, 0, 0));
    DISPATCH();
}
op_CHECK_TYPE: {
    uint8_t tag = RD8();
    uint16_t si = RD16();
    TypeSpec t = {tag, si};
    if (!type_check(m, t, &sp[-1]))
        THROW(E_TypeMismatch, "expected %s, got %s", type_spec_name(m, t), value_type_name(sp[-1]));
    DISPATCH();
}

op_FAIL: {
    Value e = POP();
    if (e.tag != T_ERROR) {
        const char *tn = value_type_name(e);
        vrelease(vt, e);
        THROW(E_TypeMismatch, "fail needs an error value, got %s", tn);
    }
    SAVE();
    int32_t line = ip_line(fr->fn, ip);
    err = error_val(ERR_SET(e), ERR_VARIANT(e), vt->task_id, line);
    vt->msg[0] = 0;
    goto raise_new;
}
op_TRY_PUSH: {
    uint32_t h = RD32();
    push_block(vt, (Block){.kind = BLOCK_HANDLER, .handler_pc = h, .depth = (uint32_t)(sp - stack)});
    DISPATCH();
}
op_TRY_POP:
    vt->nblocks--;
    DISPATCH();
op_DEFER: {
    Value f = POP();
    if (f.tag != T_FUNC && f.tag != T_CLOSURE) {
        const char *tn = value_type_name(f);
        vrelease(vt, f);
        THROW(E_TypeMismatch, "defer needs a function, got %s", tn);
    }
    push_defer(vt, f);
    frame_make_slow(fr);
    DISPATCH();
}

    /* ---- concurrency ---- */
    {
        uint16_t sfi;
        uint8_t sargc;
        Value scallee;
        int from_value;

    op_ASYNC_CALL:
    op_SPAWN:
        sfi = RD16();
        sargc = RD8();
        scallee = NIL_VAL;
        from_value = 0;
        goto do_start;
    op_ASYNC_CALL_VALUE:
    op_SPAWN_VALUE:
        sargc = RD8();
        scallee = sp[-1 - sargc];
        from_value = 1;
        if (scallee.tag == T_FUNC) sfi = (uint16_t)scallee.as.i;
        else if (scallee.tag == T_CLOSURE) sfi = scallee.as.cl->fidx;
        else THROW(E_TypeMismatch, "cannot start a %s as a task", value_type_name(scallee));
        if (scallee.tag == T_FUNC) scallee = NIL_VAL;
        goto do_start;
    do_start: {
        Value h;
        SAVE();
        set_line(vt, task_line(vt, fr->fn, ip));
        int rc = start_task(vt, sfi, scallee, sp - sargc, sargc, &h);
        RESTORE_SP();
        if (rc) THROW_CODE(rc);
        int npop = sargc + from_value;
        for (int i = 0; i < npop; i++) vrelease(vt, sp[-1 - i]);
        sp -= npop;
        PUSH(h);
        DISPATCH();
    }
    }

op_AWAIT: {
    Value h = sp[-1];
    if (h.tag != T_TASK) THROW(E_TypeMismatch, "await needs a task handle, got %s", value_type_name(h));
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    jrt_outcome o;
    int rc = jrt_await(h.as.task, &o);
    Value r;
    int failed = rc != 0 ? (r = error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line), 1)
                         : take_outcome(vt, &o, &r);
    if (rc == 0) note_delivered(vt, h.as.task, &o);
    RESTORE_SP();
    sp--;
    vrelease(vt, h);
    if (failed) {
        err = r;
        vt->msg[0] = 0;
        goto raise_new;
    }
    PUSH(r);
    DISPATCH();
}
op_AWAIT_ANY: {
    Value hs = sp[-1];
    if (hs.tag != T_ARRAY) THROW(E_TypeMismatch, "await_any needs an array of task handles");
    Array *a = hs.as.a;
    if (a->len == 0) THROW(E_IndexOutOfBounds, "await_any of an empty array");
    jrt_task *small[16], **ts = a->len <= 16 ? small : malloc(sizeof(jrt_task *) * a->len);
    for (uint32_t i = 0; i < a->len; i++) {
        if (a->items[i].tag != T_TASK) {
            if (ts != small) free(ts);
            THROW(E_TypeMismatch, "await_any needs task handles, element %u is a %s", i, value_type_name(a->items[i]));
        }
        ts[i] = a->items[i].as.task;
    }
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    int32_t idx = 0;
    int rc = jrt_await_any(ts, (int32_t)a->len, &idx);
    if (ts != small) free(ts);
    RESTORE_SP();
    if (rc != 0) {
        ev = E_Cancelled;
        vt->msg[0] = 0;
        goto throw_runtime;
    }
    sp--;
    vrelease(vt, hs);
    PUSH(INT_VAL(idx));
    DISPATCH();
}
op_AWAIT_ALL: {
    Value hs = sp[-1];
    if (hs.tag != T_ARRAY) THROW(E_TypeMismatch, "await_all needs an array of task handles");
    Array *a = hs.as.a;
    for (uint32_t i = 0; i < a->len; i++)
        if (a->items[i].tag != T_TASK)
            THROW(E_TypeMismatch, "await_all needs task handles, element %u is a %s", i, value_type_name(a->items[i]));
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    if (jrt_checkpoint() != 0) {
        RESTORE_SP();
        ev = E_Cancelled;
        vt->msg[0] = 0;
        goto throw_runtime;
    }
    /* wait for all first, then take values or the first error in array order */
    int cancelled = 0;
    jrt_outcome o;
    for (uint32_t i = 0; i < a->len && !cancelled; i++)
        if (jrt_await(a->items[i].as.task, &o) != 0) cancelled = 1;
    Array *out = NULL;
    Value failure = NIL_VAL;
    if (!cancelled) {
        out = array_new(vt, a->len);
        for (uint32_t i = 0; i < a->len; i++) {
            jrt_await(a->items[i].as.task, &o);   /* done: returns at once */
            Value r;
            if (take_outcome(vt, &o, &r)) {
                note_delivered(vt, a->items[i].as.task, &o);
                failure = r;
                break;
            }
            out->items[out->len++] = r;
        }
    }
    RESTORE_SP();
    if (cancelled || failure.tag != T_NIL) {
        if (out) vrelease(vt, ARRAY_VAL(out));
        err = cancelled ? error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line) : failure;
        vt->msg[0] = 0;
        goto raise_new;
    }
    sp--;
    vrelease(vt, hs);
    PUSH(ARRAY_VAL(out));
    DISPATCH();
}
op_NURSERY_OPEN: {
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    jrt_nursery *n = NULL;
    int rc = jrt_nursery_open(&n);
    RESTORE_SP();
    if (rc != 0) {
        if (rc == JRT_ECANCELLED) { ev = E_Cancelled; vt->msg[0] = 0; goto throw_runtime; }
        THROW(E_SpawnLimit, "cannot open a nursery");
    }
    push_block(vt, (Block){.kind = BLOCK_NURSERY, .nursery = n, .depth = (uint32_t)(sp - stack)});
    jrt_nursery_retain(n);
    Value v = {.tag = T_NURSERY};
    v.as.nursery = n;
    PUSH(v);
    DISPATCH();
}
op_NURSERY_CLOSE: {
    Block b = vt->blocks[--vt->nblocks];
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    jrt_outcome o;
    int rc = jrt_nursery_join(b.nursery, &o);
    Value e = NIL_VAL;
    if (rc == JRT_ECANCELLED) e = error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line);
    else if (rc == 0 && o.kind == JRT_OUTCOME_ERROR && o.error && !error_delivered(vt, &o))
        e = ((ErrBox *)o.error)->err;
    else if (rc == 0 && o.kind == JRT_OUTCOME_CANCELLED) e = error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line);
    jrt_nursery_release(b.nursery);
    RESTORE_SP();
    if (e.tag == T_ERROR) {
        err = e;
        vt->msg[0] = 0;
        goto raise_new;
    }
    DISPATCH();
}
op_CANCEL: {
    Value h = sp[-1];
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    if (h.tag == T_TASK) jrt_cancel(h.as.task);
    else if (h.tag == T_NURSERY) jrt_nursery_cancel(h.as.nursery);
    else THROW(E_TypeMismatch, "cancel needs a task or nursery handle, got %s", value_type_name(h));
    RESTORE_SP();
    vrelease(vt, h);
    sp[-1] = NIL_VAL;
    DISPATCH();
}
op_IS_CANCELLED: {
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    int c = jrt_is_cancelled() != 0;
    RESTORE_SP();
    PUSH(BOOL_VAL(c));
    DISPATCH();
}
op_HANDLE_IS_CANCELLED: {
    Value h = sp[-1];
    int c;
    if (h.tag == T_NURSERY) c = jrt_nursery_is_cancelled(h.as.nursery) != 0;
    else if (h.tag == T_TASK) c = task_cancel_requested(h.as.task);
    else THROW(E_TypeMismatch, "is_cancelled needs a task or nursery handle, got %s", value_type_name(h));
    vrelease(vt, h);
    sp[-1] = BOOL_VAL(c);
    DISPATCH();
}
op_CHECKPOINT: {
    SAVE();
    int rc = jrt_checkpoint();
    RESTORE_SP();
    if (rc != 0) { ev = E_Cancelled; vt->msg[0] = 0; goto throw_runtime; }
    DISPATCH();
}
op_SLEEP:
op_YIELD:
op_HTTP_GET: {
    uint8_t op = ip[-1];
    Value a = op == OP_YIELD ? NIL_VAL : sp[-1];
    if (op == OP_SLEEP && a.tag != T_INT) THROW(E_TypeMismatch, "sleep needs an int (ms), got %s", value_type_name(a));
    if (op == OP_HTTP_GET && a.tag != T_STR) THROW(E_TypeMismatch, "http_get needs a string url, got %s", value_type_name(a));
    SAVE();
    set_line(vt, task_line(vt, fr->fn, ip));
    int rc;
    /* clamp: jrt_sleep multiplies ms by 1e6 (31 years is "forever" enough) */
    if (op == OP_SLEEP) rc = jrt_sleep(a.as.i < 0 ? 0 : a.as.i > INT64_C(1000000000000) ? INT64_C(1000000000000) : a.as.i);
    else if (op == OP_YIELD) rc = jrt_yield();
    else {
        /* simulated latency 5..104 ms from FNV-1a(url) mixed with the run's seed */
        uint64_t h = 1469598103934665603ULL ^ m->seed;
        for (uint32_t i = 0; i < a.as.s->len; i++) h = (h ^ (uint8_t)a.as.s->data[i]) * 1099511628211ULL;
        rc = jrt_checkpoint();
        if (rc == 0) rc = jrt_io_wait((int64_t)(5 + (h >> 17) % 100));
    }
    RESTORE_SP();
    if (rc != 0) { ev = E_Cancelled; vt->msg[0] = 0; goto throw_runtime; }
    if (op == OP_HTTP_GET) {
        if (strstr(a.as.s->data, "fail")) {
            sp--;
            vrelease(vt, a);
            err = error_val(SET_NETERROR, NE_Refused, vt->task_id, vt->cur_line);
            vt->msg[0] = 0;
            goto raise_new;
        }
        StrBuf b;
        sb_init(&b);
        sb_puts(&b, "<body of ");
        sb_putn(&b, a.as.s->data, a.as.s->len);
        sb_putc(&b, '>');
        Str *s = str_new(vt, b.data, b.len);
        sb_free(&b);
        vrelease(vt, a);
        sp[-1] = STR_VAL(s);
    } else if (op == OP_SLEEP) {
        sp[-1] = NIL_VAL;
    } else {
        PUSH(NIL_VAL);
    }
    DISPATCH();
}

    /* ---- raising and unwinding ---- */
throw_runtime:
    SAVE();
    err = error_val(SET_RUNTIME, ev, vt->task_id, ip_line(fr->fn, ip));
    if (ev == E_Cancelled) vt->msg[0] = 0;
raise_new:
    /* a fresh error: start its trace here */
    vt->trace.len = 0;
    if (vt->trace.data) vt->trace.data[0] = 0;
    vt->trace_frames = 0;
    if (ERR_LINE(err) == 0)
        err.x32 = (uint32_t)ip_line(fr->fn, ip);
    if (ERR_TASK(err) == 0 && vt->task_id != 0) err.as.i |= (int64_t)((uint64_t)vt->task_id << 16);
raise: {
    /* fr is the frame the error is raised in; its ip is inside the raising instruction */
    while (vt->nblocks > fr->block_base) {
        Block *b = &vt->blocks[--vt->nblocks];
        if (b->kind == BLOCK_NURSERY) {
            char text[96];
            render_error_text(m, err, text, sizeof text);
            SAVE();
            jrt_outcome o;
            int rc = jrt_nursery_join_error(b->nursery, text, &o);
            if (rc == 0 && is_cancelled_error(err) && o.kind == JRT_OUTCOME_ERROR && o.error &&
                !error_delivered(vt, &o))
                err = ((ErrBox *)o.error)->err;   /* the child failure that cancelled us */
            jrt_nursery_release(b->nursery);
            RESTORE_SP();
            continue;
        }
        /* a handler: cut the operand stack, push the error, jump */
        Value *cut = stack + b->depth;
        while (sp > cut) {
            Value v = POP();
            vrelease(vt, v);
        }
        PUSH(err);
        ip = fr->fn->code + b->handler_pc;
        /* a handler may lie before the raise: this transfer is a budget point like a
         * backward jump, or a raise-catch loop would never be charged (or stopped) */
        CHARGE_POINT();
        DISPATCH();
    }
    trace_frame(vt, fr->fn, ip);
    frame_make_slow(fr);
    fr->exiting = EXIT_ERROR;
    fr->pending = err;
    SAVE();
    goto exit_step;
}

exit_step: {
    /* fr is exiting (EXIT_RETURN with pending value, or EXIT_ERROR with pending
     * error); sp is above its locals. Cut its operand stack first. */
    Value *cut = slots + fr->fn->nlocals;
    while (sp > cut) {
        Value v = POP();
        vrelease(vt, v);
    }
    SAVE();
    if (fr->implicit && !fr->joined) {
        fr->joined = 1;
        jrt_outcome o;
        jrt_nursery *n = fr->implicit;
        if (fr->exiting == EXIT_RETURN) {
            int rc = jrt_nursery_join(n, &o);
            Value e = NIL_VAL;
            if (rc == JRT_ECANCELLED) e = error_val(SET_RUNTIME, E_Cancelled, vt->task_id, vt->cur_line);
            else if (rc == 0 && o.kind == JRT_OUTCOME_ERROR && o.error && !error_delivered(vt, &o))
                e = ((ErrBox *)o.error)->err;
            if (e.tag == T_ERROR) {
                vrelease(vt, fr->pending);
                fr->pending = e;
                fr->exiting = EXIT_ERROR;
            }
        } else {
            char text[96];
            render_error_text(m, fr->pending, text, sizeof text);
            int rc = jrt_nursery_join_error(n, text, &o);
            if (rc == 0 && is_cancelled_error(fr->pending) && o.kind == JRT_OUTCOME_ERROR && o.error &&
                !error_delivered(vt, &o))
                fr->pending = ((ErrBox *)o.error)->err;
        }
        jrt_nursery_release(n);
        fr->implicit = NULL;
        RESTORE_SP();
    }
    if (vt->ndefers > fr->defer_base) {
        /* run the last defer as a frame of its own; its RETURN comes back here */
        Value d = vt->defers[--vt->ndefers];
        const Function *callee = d.tag == T_CLOSURE ? &m->funcs[d.as.cl->fidx] : &m->funcs[d.as.i];
        if (callee->arity != 0 || (callee->flags & F_ASYNC)) {
            vrelease(vt, d);
            goto exit_step;   /* not callable as a defer: skipped (the compiler never emits it) */
        }
        if (vt->nframes == vt->frames_cap && grow_frames(vt) != 0) {
            vrelease(vt, d);
            goto exit_step;
        }
        fr = &vt->frames[vt->nframes - 1];
        uint32_t dbase = (uint32_t)(sp - stack) + 1;
        if (dbase + callee->nlocals + callee->max_stack + 1 > vt->stack_cap) {
            if (grow_stack(vt, dbase + callee->nlocals + callee->max_stack + 1) != 0) {
                vrelease(vt, d);
                goto exit_step;
            }
            RESTORE_SP();
        }
        PUSH(d);
        Frame *nf = &vt->frames[vt->nframes++];
        nf->fn = callee;
        nf->base = dbase;
        nf->ret = dbase - 1;
        nf->block_base = vt->nblocks;
        nf->defer_base = vt->ndefers;
        nf->closure = d.tag == T_CLOSURE ? d.as.cl : NULL;
        nf->implicit = NULL;
        nf->kind = FRAME_DEFER;
        nf->exiting = EXIT_NONE;
        nf->joined = 0;
        nf->slow_exit = 1;
        fr = nf;
        slots = stack + dbase;
        for (uint32_t i = 0; i < callee->nlocals; i++) slots[i] = NIL_VAL;
        sp = slots + callee->nlocals;
        ip = callee->code;
        DISPATCH();
    }
    /* pop the frame */
    Value v = fr->pending;
    int mode = fr->exiting, kind = fr->kind;
    for (Value *p = stack + fr->ret; p < sp; p++) vrelease(vt, *p);
    sp = stack + fr->ret;
    vt->nframes--;
    if (vt->nframes == floor) {
        vt->sp = (uint32_t)(sp - stack);
        *result = v;
        ops += (uint32_t)vt->bulk_ops;
        vt->bulk_ops = 0;
        if (ops) jrt_charge(ops);
        vt->ops_total += ops;
        return mode == EXIT_RETURN ? RUN_OK : RUN_ERROR;
    }
    fr = &vt->frames[vt->nframes - 1];
    slots = stack + fr->base;
    ip = fr->ip;
    if (kind == FRAME_DEFER) {
        /* back in an exiting frame: a defer's result is dropped; its error replaces a
         * normal return, and is dropped if the frame is already unwinding */
        if (mode == EXIT_ERROR && fr->exiting == EXIT_RETURN) {
            vrelease(vt, fr->pending);
            fr->pending = v;
            fr->exiting = EXIT_ERROR;
        } else {
            vrelease(vt, v);
        }
        goto exit_step;
    }
    if (mode == EXIT_RETURN) {
        PUSH(v);
        DISPATCH();
    }
    err = v;
    goto raise;
}

#undef LOAD_FRAME
#undef SAVE
#undef RESTORE_SP
#undef DISPATCH
#undef RD8
#undef RD16
#undef RD32
#undef PUSH
#undef PUSH_INT
#undef POP
#undef THROW
#undef THROW_CODE
#undef CHARGE_POINT
}

/* Push a bottom frame for fidx (args and callee are moved in) and run it. */
int vm_run_function(VMTask *vt, uint16_t fidx, Closure *closure, Value *args, int argc,
                    Value *result)
{
    Module *m = vt->m;
    const Function *f = &m->funcs[fidx];
    uint32_t base = vt->sp + 1;
    uint32_t need = base + f->nlocals + f->max_stack + 1;
    if (need > vt->stack_cap && grow_stack(vt, need) != 0) abort();
    Value cv = NIL_VAL;
    if (closure) {
        cv.tag = T_CLOSURE;
        cv.as.cl = closure;
    }
    vt->stack[base - 1] = cv;
    for (int i = 0; i < argc; i++) vt->stack[base + i] = args[i];
    for (uint32_t i = (uint32_t)argc; i < f->nlocals; i++) vt->stack[base + i] = NIL_VAL;
    if (vt->nframes == vt->frames_cap && grow_frames(vt) != 0) abort();
    uint32_t floor = vt->nframes;
    Frame *nf = &vt->frames[vt->nframes++];
    memset(nf, 0, sizeof *nf);
    nf->fn = f;
    nf->base = base;
    nf->ret = base - 1;
    nf->block_base = vt->nblocks;
    nf->defer_base = vt->ndefers;
    nf->closure = closure;
    nf->kind = FRAME_CALL;
    nf->slow_exit = 1;
    nf->ip = f->code;
    vt->sp = base + f->nlocals;
    if (f->check_params) {
        for (int i = 0; i < f->arity; i++) {
            if (!type_check(m, f->params[i], &vt->stack[base + i])) {
                snprintf(vt->msg, sizeof vt->msg, "parameter `%s` of `%s` expects %s, got %s",
                         const_cstr(m, f->param_names[i]), f->name->data,
                         type_spec_name(m, f->params[i]), value_type_name(vt->stack[base + i]));
                /* raise in the new frame: nothing to unwind but the frame itself */
                for (uint32_t k = base - 1; k < vt->sp; k++) vrelease(vt, vt->stack[k]);
                vt->nframes--;
                vt->sp = base - 1;
                sb_puts(&vt->trace, "  at ");
                sb_puts(&vt->trace, f->name->data);
                *result = error_val(SET_RUNTIME, E_TypeMismatch, vt->task_id, (int32_t)f->line);
                return RUN_ERROR;
            }
        }
    }
    return run_loop(vt, floor, result);
}

/* ---- task bodies --------------------------------------------------------------------- */

static void fill_text_value(const Module *m, Value v, char *text, size_t cap)
{
    /* Scalars (most task results) are written straight into text: this runs once per
     * task, and a StrBuf plus snprintf cost more than the rest of a small task's exit. */
    if (v.tag == T_NIL || v.tag == T_BOOL) {
        const char *s = v.tag == T_NIL ? "nil" : v.as.i ? "true" : "false";
        memcpy(text, s, strlen(s) + 1);
        return;
    }
    if (v.tag == T_INT) {   /* as sb_put_int; cap is at least 160 */
        char buf[24], *p = buf + sizeof buf;
        uint64_t u = v.as.i < 0 ? (uint64_t)0 - (uint64_t)v.as.i : (uint64_t)v.as.i;
        *--p = 0;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v.as.i < 0) *--p = '-';
        memcpy(text, p, (size_t)(buf + sizeof buf - p));
        return;
    }
    StrBuf b;
    sb_init(&b);
    value_render(m, &b, v, 0, 1);
    if (b.len >= cap) {
        memcpy(text, b.data, cap - 4);
        strcpy(text + cap - 4, "...");
    } else {
        memcpy(text, b.data ? b.data : "", b.len + 1);
    }
    sb_free(&b);
}

/* Build the task's outcome from run_loop's result; `root` adds the report text. */
static jrt_outcome finish_task(VMTask *vt, int rc, Value result, const char *task_name, int root,
                               char *text, size_t cap)
{
    Module *m = vt->m;
    jrt_outcome o = {0};
    if (rc == RUN_OK) {
        o.kind = JRT_OUTCOME_OK;
        fill_text_value(m, result, text, cap);
        o.value = box_value(result, text);
        o.text = box_text(o.value);
        return o;
    }
    if (ERR_SET(result) == SET_RUNTIME && ERR_VARIANT(result) == E_Cancelled) {
        o.kind = JRT_OUTCOME_CANCELLED;
        o.text = "Runtime.Cancelled";
        return o;
    }
    char name[96];
    render_error_text(m, result, name, sizeof name);
    StrBuf tr;
    sb_init(&tr);
    if (vt->msg[0]) {
        sb_puts(&tr, vt->msg);
        sb_putc(&tr, '\n');
    }
    if (vt->trace.data) sb_puts(&tr, vt->trace.data);
    jrt_emit_error(name, ERR_LINE(result), tr.data ? tr.data : "");
    o.kind = JRT_OUTCOME_ERROR;
    if (root) {
        /* the error's line is where it was raised, which may be in a child task whose error
         * left main at a nursery's end: "raised at", not "in main#0 at" (which read as if
         * main's own line 4 had failed) */
        snprintf(text, cap, "%s raised at %s:%d, escaped %s#%lld%s%s", name, const_cstr(m, m->source_name),
                 ERR_LINE(result), task_name, (long long)vt->task_id, vt->msg[0] ? ": " : "", vt->msg);
    } else {
        snprintf(text, cap, "%s", name);
    }
    ErrBox *eb = error_box_new(result, text);
    o.error = eb;
    o.text = eb->text;
    sb_free(&tr);
    return o;
}

static jrt_outcome task_entry(void *arg)
{
    TaskStart *st = arg;
    Module *m = st->m;
    const Function *f = &m->funcs[st->fidx];
    atomic_fetch_add_explicit(&m->shard[self_shard()].tasks, 1, memory_order_relaxed);
    VMTask *vt = vmtask_new(m, f->nlocals + f->max_stack + 8);
    vt->start = st;
    live_add(m, vt, st);
    /* the arguments now belong to this task */
    Closure *cl = st->callee.tag == T_CLOSURE ? st->callee.as.cl : NULL;
    st->callee = NIL_VAL;
    if (cl) vm_adopt(vt, (Value){.tag = T_CLOSURE, .as.cl = cl});
    for (int i = 0; i < st->argc; i++) vm_adopt(vt, st->args[i]);
    Value result;
    int rc = vm_run_function(vt, st->fidx, cl, st->args, st->argc, &result);
    st->argc = 0;
    vt->start = NULL;
    task_start_free(st, vt);
    vm_sweep_task(vt, &result, rc == RUN_OK);
    char text[160];
    jrt_outcome o = finish_task(vt, rc, result, f->name->data, 0, text, sizeof text);
    live_remove(m, vt);
    vmtask_free(vt);
    return o;
}

static jrt_outcome root_entry(void *arg)
{
    Module *m = arg;
    atomic_fetch_add_explicit(&m->shard[self_shard()].tasks, 1, memory_order_relaxed);
    const Function *mainf = &m->funcs[m->main_fn];
    VMTask *vt = vmtask_new(m, 256);
    live_add(m, vt, NULL);
    Value result;
    int rc = vm_run_function(vt, m->init_fn, NULL, NULL, 0, &result);
    if (rc == RUN_OK) {
        vrelease(vt, result);
        rc = vm_run_function(vt, m->main_fn, NULL, NULL, 0, &result);
    }
    /* roots of the final sweep: main's result and the let globals (freed with m) */
    Value *roots = malloc(sizeof(Value) * ((size_t)m->nglobals + 1));
    int nroots = 0;
    if (roots) {
        if (rc == RUN_OK) roots[nroots++] = result;
        for (int i = 0; i < m->nglobals; i++) roots[nroots++] = m->globals[i].let_value;
        vm_sweep_task(vt, roots, nroots);
        free(roots);
    }
    char text[400];
    jrt_outcome o = finish_task(vt, rc, result, mainf->name->data, 1, text, sizeof text);
    pending_free_all(m, NULL);   /* main is done, so is every task: none will start now */
    live_remove(m, vt);
    vmtask_free(vt);
    return o;
}

/* ---- embedding API ------------------------------------------------------------------- */

/* The runtime's line-event switch and seed are not in janusrt.h yet: use the accessors
 * when the runtime grows them (weak symbols), else read the runtime's own fields. */
extern int32_t jrt_line_events_enabled(jrt_runtime *rt) __attribute__((weak));
extern int64_t jrt_seed(jrt_runtime *rt) __attribute__((weak));

/* jrt_set_func_names' callback has no context argument: the last started module. */
static Module *_Atomic names_module;

static const char *func_name_of(uint32_t func_id)
{
    Module *m = names_module;
    return m && func_id < m->nfuncs ? m->funcs[func_id].name->data : "?";
}

JRT_API jvm_module *jvm_module_load(const uint8_t *bytes, int64_t len, char *err, int64_t err_cap)
{
    size_t cap = err_cap > 0 ? (size_t)err_cap : 0;
    Module *m = module_parse(bytes, len, err, cap);
    if (!m) return NULL;
    if (module_verify(m, err, cap) != 0) {
        module_destroy(m);
        return NULL;
    }
    module_quicken(m);
    return (jvm_module *)m;
}

/* After the run is destroyed: free what tasks abandoned at stop left behind. Their
 * VM stacks may hold values the loop had not written back, so only memory the VM can
 * account for exactly is freed: the VMTask, its start record and every container on
 * its list (strings referenced only from such a task stay allocated). */
static void reclaim_abandoned(Module *m)
{
    for (int i = 0; i <= VM_SHARD_OTHER; i++)
    while (m->shard[i].live) {
        VMTask *vt = m->shard[i].live;
        m->shard[i].live = vt->live_next;
        Obj *head = &vt->objs;
        while (head->next != head) {
            Obj *o = head->next;
            o->prev->next = o->next;
            o->next->prev = o->prev;
            if (o->tag == T_ARRAY) free(((Array *)o)->items);
            free(o);
        }
        if (vt->start) {
            TaskStart *st = vt->start;
            atomic_fetch_sub_explicit(&m->shard[VM_SHARD_OTHER].start_structs, 1, memory_order_relaxed);
            free(st);   /* its values were moved into the task */
        }
        free(vt->delivered);   /* runtime objects (handles, nurseries) died with the run */
        if (vt->stack != vt->stack0) free(vt->stack);
        if (vt->frames != vt->frames0) free(vt->frames);
        free(vt->blocks);
        free(vt->defers);
        sb_free(&vt->trace);
        free(vt);
    }
}

JRT_API void jvm_module_free(jvm_module *jm)
{
    if (!jm) return;
    reclaim_abandoned((Module *)jm);
    pending_free_all((Module *)jm, VT_DEAD);
    module_destroy((Module *)jm);
}

JRT_API int jvm_start(jrt_runtime *rt, jvm_module *jm)
{
    Module *m = (Module *)jm;
    if (!rt || !m) return JRT_EINVAL;
    reclaim_abandoned(m);  /* a previous run on m is over (its runtime destroyed) */
    pending_free_all(m, VT_DEAD);
    for (int i = 0; i < m->nglobals; i++) {
        Global *g = &m->globals[i];
        vrelease(NULL, g->let_value);
        g->let_value = NIL_VAL;
        g->word[0] = g->word[1] = 0;
    }
    m->rt = rt;
    m->line_events = jrt_line_events_enabled ? jrt_line_events_enabled(rt) != 0 : rt->line_events != 0;
    m->seed = jrt_seed ? (uint64_t)jrt_seed(rt) : (uint64_t)rt->cfg.seed;
    module_select_code(m, !m->line_events);
    atomic_store(&m->bytes_allocated, 0);
    atomic_store(&m->bytes_live, 0);
    atomic_store(&m->bytes_peak, 0);
    for (int i = 0; i <= VM_SHARD_OTHER; i++) {
        atomic_store(&m->shard[i].instructions, 0);
        atomic_store(&m->shard[i].tasks, 0);
    }
    jrt_set_drop_hooks(rt, drop_value_word, drop_error_box);
    jrt_set_error_retain_hook(rt, retain_error_box);
    jrt_set_user_data(rt, m);
    names_module = m;
    jrt_set_func_names(rt, func_name_of);
    return jrt_start(rt, root_entry, m, m->main_fn);
}

JRT_API int32_t jvm_function_count(const jvm_module *jm)
{
    return jm ? ((const Module *)jm)->nfuncs : 0;
}

JRT_API const char *jvm_func_name(const jvm_module *jm, int64_t func_id)
{
    const Module *m = (const Module *)jm;
    if (m && func_id >= 0 && func_id < m->nfuncs) return m->funcs[func_id].name->data;
    if (func_id >= JVM_FUNC_ID_BUILTIN && func_id < JVM_FUNC_ID_BUILTIN + BI__COUNT)
        return vm_builtin_names[func_id - JVM_FUNC_ID_BUILTIN];
    return "?";
}

/* A counter kept per shard (module.h), summed. */
static int64_t shard_sum(const Module *m, size_t field)
{
    int64_t sum = 0;
    for (int i = 0; i <= VM_SHARD_OTHER; i++)
        sum += atomic_load((_Atomic int64_t *)((char *)&m->shard[i] + field));
    return sum;
}

JRT_API int64_t jvm_stat(const jvm_module *jm, int32_t key)
{
    const Module *m = (const Module *)jm;
    if (!m) return 0;
    switch (key) {
    case JVM_STAT_BYTES_ALLOCATED: return atomic_load(&((Module *)m)->bytes_allocated);
    case JVM_STAT_BYTES_LIVE: return atomic_load(&((Module *)m)->bytes_live);
    case JVM_STAT_BYTES_PEAK: return atomic_load(&((Module *)m)->bytes_peak);
    case JVM_STAT_INSTRUCTIONS: return shard_sum(m, offsetof(struct VmShard, instructions));
    case JVM_STAT_TASKS: return shard_sum(m, offsetof(struct VmShard, tasks));
    default: return 0;
    }
}

JRT_API int64_t jvm_disassemble(const jvm_module *jm, char *buf, int64_t cap)
{
    StrBuf b;
    sb_init(&b);
    disassemble_module((const Module *)jm, &b);
    int64_t n = (int64_t)b.len;
    if (cap > 0) {
        size_t k = b.len < (size_t)cap - 1 ? b.len : (size_t)cap - 1;
        if (k) memcpy(buf, b.data, k);
        buf[k] = 0;
    }
    sb_free(&b);
    return n;
}
