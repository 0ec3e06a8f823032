/*
 * value.c — object memory, equality, deep copy and text rendering of values.
 *
 * Freeing is iterative (a worklist, not recursion) so a long chain of nested arrays
 * cannot overflow an 8 KB fiber stack. Deep copy and rendering recurse, so on a fiber
 * they run on the worker's own stack (jrt_call_on_worker_stack) with a depth limit.
 * Code that runs there must not call the task API: allocation only adds to
 * VMTask.mem_pending, which the VM loop flushes to jrt_mem_charge at its charge points.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define COPY_MAX_DEPTH 4000
#define RENDER_MAX_DEPTH 64

/* ---- allocation ---------------------------------------------------------------- */

static void out_of_memory(void)
{
    fprintf(stderr, "janusvm: out of memory\n");
    abort();
}

void *vm_alloc(VMTask *vt, size_t size)
{
    void *p = malloc(size);
    if (!p) out_of_memory();
    if (vt > VT_DEAD) {
        vt->mem_pending += (int64_t)size;
        vt->bulk_ops += (int64_t)(size >> VM_BULK_SHIFT); /* what is allocated is written */
    }
    return p;
}

void vm_free(VMTask *vt, void *p, size_t size)
{
    free(p);
    if (vt > VT_DEAD) vt->mem_pending -= (int64_t)size;
}

void *vm_realloc(VMTask *vt, void *p, size_t old, size_t size)
{
    void *q = realloc(p, size);
    if (!q) out_of_memory();
    if (vt > VT_DEAD) {
        vt->mem_pending += (int64_t)size - (int64_t)old;
        vt->bulk_ops += (int64_t)(size >> VM_BULK_SHIFT); /* realloc may copy it all */
    }
    return q;
}

Str *str_new(VMTask *vt, const char *bytes, size_t len)
{
    Str *s = vm_alloc(vt, sizeof(Str) + len + 1);
    atomic_init(&s->rc, 1);
    s->immortal = 0;
    s->len = (uint32_t)len;
    s->pad = 0;
    if (len) memcpy(s->data, bytes, len);
    s->data[len] = 0;
    return s;
}

Str *str_concat(VMTask *vt, const Str *a, const Str *b)
{
    size_t len = (size_t)a->len + b->len;
    Str *s = vm_alloc(vt, sizeof(Str) + len + 1);
    atomic_init(&s->rc, 1);
    s->immortal = 0;
    s->len = (uint32_t)len;
    s->pad = 0;
    memcpy(s->data, a->data, a->len);
    memcpy(s->data + a->len, b->data, b->len);
    s->data[len] = 0;
    return s;
}

static void obj_init(VMTask *vt, Obj *o, uint8_t tag)
{
    o->rc = 1;
    o->tag = tag;
    o->mark = 0;
    o->pad = 0;
    if (vt > VT_DEAD) {
        Obj *head = &vt->objs;
        o->prev = head;
        o->next = head->next;
        head->next->prev = o;
        head->next = o;
    } else {
        o->prev = o->next = o;
    }
}

static void obj_unlink(Obj *o)
{
    o->prev->next = o->next;
    o->next->prev = o->prev;
    o->prev = o->next = o;
}

Array *array_new(VMTask *vt, uint32_t cap)
{
    Array *a = vm_alloc(vt, sizeof(Array));
    obj_init(vt, &a->h, T_ARRAY);
    a->len = 0;
    a->cap = cap;
    a->items = cap ? vm_alloc(vt, sizeof(Value) * cap) : NULL;
    return a;
}

int array_push(VMTask *vt, Array *a, Value v)
{
    if (a->len == a->cap) {
        if (a->cap >= (1u << 27)) {   /* 2 GiB of values: far past any task budget */
            vrelease(vt, v);
            return -1;
        }
        uint32_t cap = a->cap ? a->cap * 2 : 4;
        a->items = vm_realloc(vt, a->items, sizeof(Value) * a->cap, sizeof(Value) * cap);
        a->cap = cap;
    }
    a->items[a->len++] = v;
    return 0;
}

Struct *struct_new(VMTask *vt, uint16_t sidx, uint16_t nfields)
{
    Struct *s = vm_alloc(vt, sizeof(Struct) + sizeof(Value) * nfields);
    obj_init(vt, &s->h, T_STRUCT);
    s->pad = 0;
    s->sidx = sidx;
    s->nfields = nfields;
    return s;
}

Closure *closure_new(VMTask *vt, uint16_t fidx, uint16_t ncap)
{
    Closure *c = vm_alloc(vt, sizeof(Closure) + sizeof(Value) * ncap);
    obj_init(vt, &c->h, T_CLOSURE);
    c->pad = 0;
    c->fidx = fidx;
    c->ncap = ncap;
    return c;
}

Cell *cell_new(VMTask *vt, Value v)
{
    Cell *c = vm_alloc(vt, sizeof(Cell));
    obj_init(vt, &c->h, T_CELL);
    c->v = v;
    return c;
}

/* ---- freeing ------------------------------------------------------------------- */

/* Drop one reference held inside an object being freed; 1 if v must be freed too. */
static int drop_child(VMTask *vt, Value v)
{
    switch (v.tag) {
    case T_STR:
        return !v.as.s->immortal &&
               atomic_fetch_sub_explicit(&v.as.s->rc, 1, memory_order_acq_rel) == 1;
    case T_ARRAY: return --v.as.a->h.rc == 0;
    case T_STRUCT: return --v.as.st->h.rc == 0;
    case T_CLOSURE: return --v.as.cl->h.rc == 0;
    case T_CELL: return --v.as.cell->h.rc == 0;
    case T_TASK: if (vt != VT_DEAD) jrt_task_release(v.as.task); return 0;
    case T_NURSERY: if (vt != VT_DEAD) jrt_nursery_release(v.as.nursery); return 0;
    default: return 0;
    }
}

typedef struct Worklist {
    Value small[16];
    Value *items;
    size_t n, cap;
} Worklist;

static void wl_push(Worklist *w, Value v)
{
    if (w->n == w->cap) {
        size_t cap = w->cap * 2;
        Value *items = malloc(sizeof(Value) * cap);
        if (!items) out_of_memory();
        memcpy(items, w->items, sizeof(Value) * w->n);
        if (w->items != w->small) free(w->items);
        w->items = items;
        w->cap = cap;
    }
    w->items[w->n++] = v;
}

void value_free_obj(VMTask *vt, Value v)
{
    Worklist w;
    w.items = w.small;
    w.n = 0;
    w.cap = 16;
    wl_push(&w, v);
    while (w.n > 0) {
        Value x = w.items[--w.n];
        switch (x.tag) {
        case T_STR:
            vm_free(vt, x.as.s, sizeof(Str) + x.as.s->len + 1);
            break;
        case T_ARRAY: {
            Array *a = x.as.a;
            obj_unlink(&a->h);
            for (uint32_t i = 0; i < a->len; i++)
                if (drop_child(vt, a->items[i])) wl_push(&w, a->items[i]);
            vm_free(vt, a->items, sizeof(Value) * a->cap);
            vm_free(vt, a, sizeof(Array));
            break;
        }
        case T_STRUCT: {
            Struct *s = x.as.st;
            obj_unlink(&s->h);
            for (uint32_t i = 0; i < s->nfields; i++)
                if (drop_child(vt, s->fields[i])) wl_push(&w, s->fields[i]);
            vm_free(vt, s, sizeof(Struct) + sizeof(Value) * s->nfields);
            break;
        }
        case T_CLOSURE: {
            Closure *c = x.as.cl;
            obj_unlink(&c->h);
            for (uint32_t i = 0; i < c->ncap; i++)
                if (drop_child(vt, c->caps[i])) wl_push(&w, c->caps[i]);
            vm_free(vt, c, sizeof(Closure) + sizeof(Value) * c->ncap);
            break;
        }
        case T_CELL: {
            Cell *c = x.as.cell;
            obj_unlink(&c->h);
            if (drop_child(vt, c->v)) wl_push(&w, c->v);
            vm_free(vt, c, sizeof(Cell));
            break;
        }
        default:
            break;
        }
    }
    if (w.items != w.small) free(w.items);
}

/* ---- cycles: adoption and the end-of-task sweep ------------------------------- */

static int is_container(Value v) { return v.tag >= T_ARRAY && v.tag <= T_CELL; }
static Obj *obj_of(Value v) { return (Obj *)v.as.p; }

/* Children of a container, for the traversals below. */
static Value *obj_children(Obj *o, uint32_t *n)
{
    switch (o->tag) {
    case T_ARRAY: *n = ((Array *)o)->len; return ((Array *)o)->items;
    case T_STRUCT: *n = ((Struct *)o)->nfields; return ((Struct *)o)->fields;
    case T_CLOSURE: *n = ((Closure *)o)->ncap; return ((Closure *)o)->caps;
    default: *n = 1; return &((Cell *)o)->v;
    }
}

static size_t obj_size(Obj *o)
{
    switch (o->tag) {
    case T_ARRAY: return sizeof(Array);
    case T_STRUCT: return sizeof(Struct) + sizeof(Value) * ((Struct *)o)->nfields;
    case T_CLOSURE: return sizeof(Closure) + sizeof(Value) * ((Closure *)o)->ncap;
    default: return sizeof(Cell);
    }
}

void vm_adopt(VMTask *vt, Value v)
{
    if (!is_container(v) || obj_of(v)->next != obj_of(v)) return;
    Worklist w;
    w.items = w.small;
    w.n = 0;
    w.cap = 16;
    Obj *head = &vt->objs;
    Obj *o = obj_of(v);
    o->prev = head;   /* link first, so a cycle back to it stops the walk */
    o->next = head->next;
    head->next->prev = o;
    head->next = o;
    wl_push(&w, v);
    while (w.n > 0) {
        Obj *x = obj_of(w.items[--w.n]);
        uint32_t n;
        Value *c = obj_children(x, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (!is_container(c[i]) || obj_of(c[i])->next != obj_of(c[i])) continue;
            Obj *y = obj_of(c[i]);
            y->prev = head;
            y->next = head->next;
            head->next->prev = y;
            head->next = y;
            wl_push(&w, c[i]);
        }
    }
    if (w.items != w.small) free(w.items);
}

void vm_sweep_task(VMTask *vt, const Value *roots, int nroots)
{
    Obj *head = &vt->objs;
    if (head->next == head) return;    /* the usual case: refcounting freed everything */
    /* 1. mark what the roots reach */
    Worklist w;
    w.items = w.small;
    w.n = 0;
    w.cap = 16;
    for (int r = 0; r < nroots; r++)
        if (is_container(roots[r]) && !obj_of(roots[r])->mark) {
            obj_of(roots[r])->mark = 1;
            wl_push(&w, roots[r]);
        }
    while (w.n > 0) {
        Obj *x = obj_of(w.items[--w.n]);
        uint32_t n;
        Value *c = obj_children(x, &n);
        for (uint32_t i = 0; i < n; i++)
            if (is_container(c[i]) && !obj_of(c[i])->mark) {
                obj_of(c[i])->mark = 1;
                wl_push(&w, c[i]);
            }
    }
    if (w.items != w.small) free(w.items);
    /* 2. survivors leave the list; what stays is garbage held only by cycles */
    for (Obj *o = head->next, *next; o != head; o = next) {
        next = o->next;
        if (o->mark) obj_unlink(o);
    }
    /* 3. drop the garbage's references to everything outside the garbage */
    for (Obj *o = head->next; o != head; o = o->next) {
        uint32_t n;
        Value *c = obj_children(o, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (is_container(c[i]) && !obj_of(c[i])->mark && obj_of(c[i])->next != obj_of(c[i]))
                continue;                 /* another garbage object: freed below */
            vrelease(vt, c[i]);            /* strings, handles, survivors, foreign */
        }
    }
    /* 4. free the garbage itself */
    while (head->next != head) {
        Obj *o = head->next;
        obj_unlink(o);
        if (o->tag == T_ARRAY) vm_free(vt, ((Array *)o)->items, sizeof(Value) * ((Array *)o)->cap);
        vm_free(vt, o, obj_size(o));
    }
}

/* ---- equality ------------------------------------------------------------------ */

int value_equal(Value a, Value b)
{
    if (a.tag == T_INT && b.tag == T_INT) return a.as.i == b.as.i;
    if ((a.tag == T_INT || a.tag == T_FLOAT) && (b.tag == T_INT || b.tag == T_FLOAT)) {
        double x = a.tag == T_INT ? (double)a.as.i : a.as.f;
        double y = b.tag == T_INT ? (double)b.as.i : b.as.f;
        return x == y;
    }
    if (a.tag != b.tag) return 0;
    switch (a.tag) {
    case T_NIL: return 1;
    case T_BOOL: case T_FUNC: return a.as.i == b.as.i;
    case T_ERROR: return ERR_SET(a) == ERR_SET(b) && ERR_VARIANT(a) == ERR_VARIANT(b);
    case T_STR:
        return a.as.s == b.as.s ||
               (a.as.s->len == b.as.s->len && memcmp(a.as.s->data, b.as.s->data, a.as.s->len) == 0);
    default: return a.as.p == b.as.p;
    }
}

/* ---- deep copy ----------------------------------------------------------------- */

typedef struct CopyMap {        /* old object -> its copy, open addressing */
    void **keys;
    Value *vals;
    size_t cap, n;
} CopyMap;

typedef struct CopyJob {
    VMTask *vt;
    Value in, out;
    CopyMap map;
    int depth, failed;
} CopyJob;

static size_t ptr_hash(void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

static Value *map_find(CopyMap *m, void *key)
{
    if (!m->cap) return NULL;
    for (size_t i = ptr_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) return &m->vals[i];
        if (!m->keys[i]) return NULL;
    }
}

static void map_put(CopyMap *m, void *key, Value v)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        void **keys = calloc(cap, sizeof(void *));
        Value *vals = malloc(sizeof(Value) * cap);
        if (!keys || !vals) out_of_memory();
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t j = ptr_hash(m->keys[i], cap);
            while (keys[j]) j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t i = ptr_hash(key, m->cap);
    while (m->keys[i]) i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->vals[i] = v;
    m->n++;
}

static Value copy_rec(CopyJob *j, Value v)
{
    if (v.tag < T_ARRAY || v.tag == T_TASK || v.tag == T_NURSERY) {
        vretain(v);
        return v;
    }
    Value *seen = map_find(&j->map, v.as.p);
    if (seen) {
        vretain(*seen);
        return *seen;
    }
    if (++j->depth > COPY_MAX_DEPTH) {
        j->failed = 1;
        j->depth--;
        return NIL_VAL;
    }
    Value out = v;
    switch (v.tag) {
    case T_ARRAY: {
        Array *a = v.as.a, *c = array_new(j->vt, a->len);
        out.as.a = c;
        map_put(&j->map, a, out);
        for (uint32_t i = 0; i < a->len; i++) c->items[c->len++] = copy_rec(j, a->items[i]);
        break;
    }
    case T_STRUCT: {
        Struct *s = v.as.st, *c = struct_new(j->vt, s->sidx, s->nfields);
        for (uint32_t i = 0; i < s->nfields; i++) c->fields[i] = NIL_VAL;
        out.as.st = c;
        map_put(&j->map, s, out);
        for (uint32_t i = 0; i < s->nfields; i++) c->fields[i] = copy_rec(j, s->fields[i]);
        break;
    }
    case T_CLOSURE: {
        Closure *s = v.as.cl, *c = closure_new(j->vt, s->fidx, s->ncap);
        for (uint32_t i = 0; i < s->ncap; i++) c->caps[i] = NIL_VAL;
        out.as.cl = c;
        map_put(&j->map, s, out);
        for (uint32_t i = 0; i < s->ncap; i++) c->caps[i] = copy_rec(j, s->caps[i]);
        break;
    }
    case T_CELL: {
        Cell *c = cell_new(j->vt, NIL_VAL);
        out.as.cell = c;
        map_put(&j->map, v.as.cell, out);
        c->v = copy_rec(j, v.as.cell->v);
        break;
    }
    }
    j->depth--;
    /* The map holds no reference; the returned value carries the one created above,
     * and later hits retain it. */
    return out;
}

static void copy_job_run(void *arg)
{
    CopyJob *j = arg;
    j->out = copy_rec(j, j->in);
}

int value_deep_copy(VMTask *vt, Value v, Value *out, int on_fiber)
{
    if (v.tag < T_ARRAY || v.tag == T_TASK || v.tag == T_NURSERY) {
        vretain(v);
        *out = v;
        return 0;
    }
    CopyJob j = {.vt = vt, .in = v};
    if (on_fiber) jrt_call_on_worker_stack(copy_job_run, &j);
    else copy_job_run(&j);
    free(j.map.keys);
    free(j.map.vals);
    if (j.failed) {
        vrelease(vt, j.out);
        *out = NIL_VAL;
        return -1;
    }
    *out = j.out;
    return 0;
}

/* ---- text ---------------------------------------------------------------------- */

void sb_init(StrBuf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void sb_free(StrBuf *b)
{
    free(b->data);
    sb_init(b);
}

static void sb_grow(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) out_of_memory();
    b->data = d;
    b->cap = cap;
}

void sb_putn(StrBuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void sb_puts(StrBuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

void sb_putc(StrBuf *b, char c) { sb_putn(b, &c, 1); }

void sb_put_int(StrBuf *b, int64_t n)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0) *--p = '-';
    sb_putn(b, p, (size_t)(buf + sizeof buf - p));
}

/* Shortest %.{p}g that reads back to d; ".0" appended to integral results. Uses libc
 * (deep stack): call on the worker stack. */
void format_float(double d, char *buf)
{
    if (isnan(d)) { strcpy(buf, "nan"); return; }
    if (isinf(d)) { strcpy(buf, d < 0 ? "-inf" : "inf"); return; }
    /* Python's repr rule: the fewest significant digits that read back to d, written
     * in fixed notation when the decimal exponent is in [-4, 16), else as 1.5e-07. */
    int p;
    for (p = 1; p < 17; p++) {
        snprintf(buf, 32, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d) break;
    }
    snprintf(buf, 32, "%.*e", p - 1, d);
    int exp = atoi(strchr(buf, 'e') + 1);
    if (exp >= -4 && exp < 16) {
        int decimals = p - 1 - exp;
        snprintf(buf, 32, "%.*f", decimals > 0 ? decimals : 0, d);
    }
    if (!strpbrk(buf, ".en")) strcat(buf, ".0");
}

const char *value_type_name(Value v)
{
    switch (v.tag) {
    case T_NIL: return "nil";
    case T_BOOL: return "bool";
    case T_INT: return "int";
    case T_FLOAT: return "float";
    case T_FUNC: case T_CLOSURE: return "function";
    case T_ERROR: return "error";
    case T_STR: return "string";
    case T_ARRAY: return "array";
    case T_STRUCT: return "struct";
    case T_CELL: return "cell";
    case T_TASK: return "Task";
    case T_NURSERY: return "Nursery";
    default: return "?";
    }
}

typedef struct RenderJob {
    const Module *m;
    StrBuf *b;
    Value v;
    int top;
} RenderJob;

static void render_string_quoted(StrBuf *b, const Str *s)
{
    sb_putc(b, '"');
    for (uint32_t i = 0; i < s->len; i++) {
        char c = s->data[i];
        switch (c) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\t': sb_puts(b, "\\t"); break;
        default: sb_putc(b, c);
        }
    }
    sb_putc(b, '"');
}

static void render_rec(const Module *m, StrBuf *b, Value v, int top, int depth)
{
    char buf[40];
    switch (v.tag) {
    case T_NIL: sb_puts(b, "nil"); break;
    case T_BOOL: sb_puts(b, v.as.i ? "true" : "false"); break;
    case T_INT: sb_put_int(b, v.as.i); break;
    case T_FLOAT: format_float(v.as.f, buf); sb_puts(b, buf); break;
    case T_STR:
        if (top) sb_putn(b, v.as.s->data, v.as.s->len);
        else render_string_quoted(b, v.as.s);
        break;
    case T_ERROR: error_render(m, v, b); break;
    case T_FUNC:
        sb_puts(b, "<func ");
        sb_puts(b, m->funcs[v.as.i].name->data);
        sb_putc(b, '>');
        break;
    case T_CLOSURE:
        sb_puts(b, "<func ");
        sb_puts(b, m->funcs[v.as.cl->fidx].name->data);
        sb_putc(b, '>');
        break;
    case T_TASK:
        sb_puts(b, "<task ");
        sb_puts(b, v.x32 < m->nfuncs ? m->funcs[v.x32].name->data : "?");
        sb_putc(b, '#');
        sb_put_int(b, jrt_task_id_of(v.as.task));
        sb_putc(b, '>');
        break;
    case T_NURSERY:
        sb_puts(b, "<nursery ");
        sb_put_int(b, jrt_nursery_id(v.as.nursery));
        sb_putc(b, '>');
        break;
    case T_CELL:
        render_rec(m, b, v.as.cell->v, top, depth);
        break;
    case T_ARRAY: {
        if (depth >= RENDER_MAX_DEPTH) { sb_puts(b, "[...]"); break; }
        Array *a = v.as.a;
        sb_putc(b, '[');
        for (uint32_t i = 0; i < a->len; i++) {
            if (i) sb_puts(b, ", ");
            render_rec(m, b, a->items[i], 0, depth + 1);
        }
        sb_putc(b, ']');
        break;
    }
    case T_STRUCT: {
        Struct *s = v.as.st;
        const StructDef *d = &m->structs[s->sidx];
        sb_puts(b, const_cstr(m, d->name));
        if (depth >= RENDER_MAX_DEPTH) { sb_puts(b, " {...}"); break; }
        sb_puts(b, " { ");
        for (uint32_t i = 0; i < s->nfields; i++) {
            if (i) sb_puts(b, ", ");
            sb_puts(b, const_cstr(m, d->field_names[i]));
            sb_puts(b, ": ");
            render_rec(m, b, s->fields[i], 0, depth + 1);
        }
        sb_puts(b, s->nfields ? " }" : "}");
        break;
    }
    default: sb_puts(b, "?"); break;
    }
}

static void render_job_run(void *arg)
{
    RenderJob *j = arg;
    render_rec(j->m, j->b, j->v, j->top, 0);
}

void value_render(const Module *m, StrBuf *b, Value v, int top, int on_fiber)
{
    switch (v.tag) {   /* cheap cases stay on the fiber */
    case T_NIL: case T_BOOL: case T_INT: case T_STR: case T_ERROR: case T_FUNC:
    case T_CLOSURE:
        render_rec(m, b, v, top, 0);
        return;
    default:
        break;
    }
    RenderJob j = {m, b, v, top};
    if (on_fiber) jrt_call_on_worker_stack(render_job_run, &j);
    else render_job_run(&j);
}
