/*
 * value.h — the VM's data model: tagged values and heap objects.
 *
 * Why a 16-byte tagged union and not NaN-boxing: Janus ints are full i64 with an
 * Overflow error at the i64 bounds, so NaN-boxing would need boxed big ints; a
 * 16-byte value (like Lua's TValue) keeps every int, float, bool, function index,
 * error value and handle inline and costs two register moves per copy.
 *
 *   Value  = { u8 tag | u8 - | u16 x16 | u32 x32 | 64-bit payload `as` }
 *   NIL, BOOL(as.i 0/1), INT(as.i), FLOAT(as.f), FUNC(as.i function index)
 *   ERROR  x16 = set, as.i = variant | raising task id << 16, x32 = raise line
 *   STR    as.s  immutable, ATOMIC refcount (shared between tasks), or immortal
 *          (constant-pool strings: refcount never touched)
 *   ARRAY/STRUCT/CLOSURE/CELL  as.o, task-local, NON-atomic refcount: they never
 *          cross tasks; crossing deep-copies them (BYTECODE.md §1)
 *   TASK   as.task (jrt_task*, refcounted by the runtime), x32 = the task's func id
 *   NURSERY as.nursery (jrt_nursery*, refcounted by the runtime)
 *
 * Tags < T_STR carry no reference, so the hot paths (ints, floats, bools) never touch
 * a refcount: `vretain`/`vrelease` test the tag first.
 */
#ifndef JVM_VALUE_H
#define JVM_VALUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "janusrt.h"

enum {
    T_NIL = 0, T_BOOL, T_INT, T_FLOAT, T_FUNC, T_ERROR,
    /* refcounted from here on */
    T_STR, T_ARRAY, T_STRUCT, T_CLOSURE, T_CELL, T_TASK, T_NURSERY
};

struct Str;
struct Array;
struct Struct;
struct Closure;
struct Cell;

typedef struct Value {
    uint8_t tag;
    uint8_t pad;
    uint16_t x16;
    uint32_t x32;
    union {
        int64_t i;
        double f;
        void *p;
        struct Str *s;
        struct Array *a;
        struct Struct *st;
        struct Closure *cl;
        struct Cell *cell;
        jrt_task *task;
        jrt_nursery *nursery;
    } as;
} Value;

_Static_assert(sizeof(Value) == 16, "Value is two words");

/* Heap objects. `rc` is non-atomic except for Str.
 *
 * Containers (arrays, structs, closures, cells) start with an Obj header that links
 * them into their task's list of live containers (VMTask.objs). Refcounting frees
 * almost everything as soon as it is dropped; what is still on the list when the task
 * ends is either its result (kept, unlinked) or garbage held only by reference cycles
 * (`a.push(a)`, a struct pointing at itself), which vm_sweep_task frees. Strings hold
 * no references to containers, so they cannot be part of a cycle and are not listed. */
typedef struct Obj {
    struct Obj *prev, *next;  /* task's container list; self-linked when on none */
    uint32_t rc;
    uint8_t tag;              /* T_ARRAY, T_STRUCT, T_CLOSURE, T_CELL */
    uint8_t mark;             /* vm_sweep_task: reachable from the task's result */
    uint16_t pad;
} Obj;

typedef struct Str {
    _Atomic uint32_t rc;
    uint32_t immortal;        /* constant pool strings: never counted, never freed */
    uint32_t len;             /* bytes, not counting the NUL kept after data */
    uint32_t pad;
    char data[];
} Str;

typedef struct Array {
    Obj h;
    uint32_t len;
    uint32_t cap;
    Value *items;
} Array;

typedef struct Struct {
    Obj h;
    uint16_t sidx;            /* struct table index */
    uint16_t nfields;
    uint32_t pad;
    Value fields[];
} Struct;

typedef struct Closure {
    Obj h;
    uint16_t fidx;            /* function index */
    uint16_t ncap;
    uint32_t pad;
    Value caps[];
} Closure;

typedef struct Cell {
    Obj h;
    Value v;
} Cell;

#define NIL_VAL ((Value){.tag = T_NIL})
#define BOOL_VAL(b) ((Value){.tag = T_BOOL, .as.i = (b) ? 1 : 0})
#define INT_VAL(n) ((Value){.tag = T_INT, .as.i = (n)})
#define FLOAT_VAL(d) ((Value){.tag = T_FLOAT, .as.f = (d)})
#define FUNC_VAL(f) ((Value){.tag = T_FUNC, .as.i = (f)})
#define STR_VAL(p) ((Value){.tag = T_STR, .as.s = (p)})
#define ARRAY_VAL(p) ((Value){.tag = T_ARRAY, .as.a = (p)})

static inline Value error_val(int set, int variant, int64_t task, int32_t line)
{
    Value v = {.tag = T_ERROR, .x16 = (uint16_t)set, .x32 = (uint32_t)line};
    v.as.i = (int64_t)((uint64_t)(uint16_t)variant | ((uint64_t)task << 16));
    return v;
}
#define ERR_SET(v) ((int)(v).x16)
#define ERR_VARIANT(v) ((int)((uint64_t)(v).as.i & 0xFFFF))
#define ERR_TASK(v) ((int64_t)((uint64_t)(v).as.i >> 16))
#define ERR_LINE(v) ((int32_t)(v).x32)

struct VMTask;
struct Module;

/* vt argument meaning "the run's runtime is destroyed": free VM memory, account
 * nothing and leave task/nursery handles alone (their memory went with the runtime). */
#define VT_DEAD ((struct VMTask *)1)

/* Object memory. Every allocation is accounted to the running task (vt) when vt is
 * not NULL (VMTask.mem_pending, flushed to jrt_mem_charge in batches); frees from drop
 * hooks (off-fiber) pass vt = NULL. */
void *vm_alloc(struct VMTask *vt, size_t size);
void vm_free(struct VMTask *vt, void *p, size_t size);
void *vm_realloc(struct VMTask *vt, void *p, size_t old, size_t size);

Str *str_new(struct VMTask *vt, const char *bytes, size_t len);
Str *str_concat(struct VMTask *vt, const Str *a, const Str *b);
Array *array_new(struct VMTask *vt, uint32_t cap);
int array_push(struct VMTask *vt, Array *a, Value v);   /* takes v's reference */
Struct *struct_new(struct VMTask *vt, uint16_t sidx, uint16_t nfields);
Closure *closure_new(struct VMTask *vt, uint16_t fidx, uint16_t ncap);
Cell *cell_new(struct VMTask *vt, Value v);            /* takes v's reference */

void value_free_obj(struct VMTask *vt, Value v);       /* refcount hit zero */
/* Link every unlisted container reachable from v into vt's list (a task adopting the
 * copies it was started with). */
void vm_adopt(struct VMTask *vt, Value v);
/* At task end: free the containers still listed that `roots` cannot reach (cycles),
 * and unlink the reachable ones (they outlive the task as its result). */
void vm_sweep_task(struct VMTask *vt, const Value *roots, int nroots);

static inline void vretain(Value v)
{
    if (v.tag < T_STR) return;
    switch (v.tag) {
    case T_STR:
        if (!v.as.s->immortal) atomic_fetch_add_explicit(&v.as.s->rc, 1, memory_order_relaxed);
        break;
    case T_ARRAY: v.as.a->h.rc++; break;
    case T_STRUCT: v.as.st->h.rc++; break;
    case T_CLOSURE: v.as.cl->h.rc++; break;
    case T_CELL: v.as.cell->h.rc++; break;
    case T_TASK: jrt_task_retain(v.as.task); break;
    case T_NURSERY: jrt_nursery_retain(v.as.nursery); break;
    }
}

static inline void vrelease(struct VMTask *vt, Value v)
{
    if (v.tag < T_STR) return;
    switch (v.tag) {
    case T_STR:
        if (!v.as.s->immortal &&
            atomic_fetch_sub_explicit(&v.as.s->rc, 1, memory_order_acq_rel) == 1)
            value_free_obj(vt, v);
        break;
    case T_ARRAY: if (--v.as.a->h.rc == 0) value_free_obj(vt, v); break;
    case T_STRUCT: if (--v.as.st->h.rc == 0) value_free_obj(vt, v); break;
    case T_CLOSURE: if (--v.as.cl->h.rc == 0) value_free_obj(vt, v); break;
    case T_CELL: if (--v.as.cell->h.rc == 0) value_free_obj(vt, v); break;
    case T_TASK: if (vt != VT_DEAD) jrt_task_release(v.as.task); break;
    case T_NURSERY: if (vt != VT_DEAD) jrt_nursery_release(v.as.nursery); break;
    }
}

/* Equality of LANGUAGE.md §3: by value for nil/bool/numbers/strings/errors, identity
 * otherwise. Never raises. */
int value_equal(Value a, Value b);

/* Deep copy for crossing into another task (BYTECODE.md §1): arrays, structs,
 * closures (+captures) and cells are copied, strings/handles/errors/scalars shared.
 * Sharing and cycles inside the copied graph are preserved. Returns 0, or -1 when the
 * graph is too deep (the caller raises StackOverflow). Runs its recursion on the
 * worker stack when called on a fiber (on_fiber != 0). */
int value_deep_copy(struct VMTask *vt, Value v, Value *out, int on_fiber);

/* Text rendering (print/str): appends to a growable buffer. */
typedef struct StrBuf {
    char *data;
    size_t len, cap;
} StrBuf;
void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_putn(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_putc(StrBuf *b, char c);
void sb_put_int(StrBuf *b, int64_t n);
/* Append str(v) (top == 1: strings raw; inside containers they are quoted). Float
 * formatting and container recursion run on the worker stack when on_fiber. */
void value_render(const struct Module *m, StrBuf *b, Value v, int top, int on_fiber);
/* Shortest round-trip float text with ".0" when integral; buf >= 32 bytes. */
void format_float(double d, char *buf);

const char *value_type_name(Value v);

#endif
