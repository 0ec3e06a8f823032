/*
 * module.c — parse a module file (BYTECODE.md §2) into the tables of module.h.
 *
 * Parsing checks the file's shape (magic, version, every length against the bytes
 * left, constant tags, the trailer); verify.c then checks the code. Parsing never
 * reads past `len` and never allocates more than a small multiple of `len`, so a
 * mutated file cannot make it crash or eat memory (the fuzz target feeds it junk).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

const uint8_t vm_op_bytes[OP__COUNT] = {
#define OP(name, bytes, layout, pops, pushes, doc) bytes,
#include "opcodes.def"
};
const char *const vm_op_names[OP__COUNT] = {
#define OP(name, bytes, layout, pops, pushes, doc) #name,
#include "opcodes.def"
};
const char *const vm_builtin_names[BI__COUNT] = {
#define BUILTIN(name, jname, min, max) jname,
#include "opcodes.def"
};
const int8_t vm_builtin_min[BI__COUNT] = {
#define BUILTIN(name, jname, min, max) min,
#include "opcodes.def"
};
const int8_t vm_builtin_max[BI__COUNT] = {
#define BUILTIN(name, jname, min, max) max,
#include "opcodes.def"
};
const char *const vm_method_names[M__COUNT] = {
#define METHOD(name, jname, args) jname,
#include "opcodes.def"
};
const int8_t vm_method_args[M__COUNT] = {
#define METHOD(name, jname, args) args,
#include "opcodes.def"
};
const char *const vm_type_names[TY__COUNT] = {
#define TYPE(name, jname) jname,
#include "opcodes.def"
};

typedef struct Reader {
    const uint8_t *p, *end;
    char *err;
    size_t err_cap;
    int failed;
} Reader;

static void fail(Reader *r, const char *fmt, ...)
{
    if (r->failed) return;
    r->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    if (r->err_cap) vsnprintf(r->err, r->err_cap, fmt, ap);
    va_end(ap);
}

static int need(Reader *r, size_t n, const char *what)
{
    if (r->failed) return 0;
    if ((size_t)(r->end - r->p) < n) {
        fail(r, "truncated module: %s runs past the end of the file", what);
        return 0;
    }
    return 1;
}
static uint8_t u8(Reader *r, const char *what)
{
    if (!need(r, 1, what)) return 0;
    return *r->p++;
}
static uint16_t u16(Reader *r, const char *what)
{
    if (!need(r, 2, what)) return 0;
    uint16_t v = rd16(r->p);
    r->p += 2;
    return v;
}
static uint32_t u32(Reader *r, const char *what)
{
    if (!need(r, 4, what)) return 0;
    uint32_t v = rd32(r->p);
    r->p += 4;
    return v;
}
static uint64_t u64(Reader *r, const char *what)
{
    if (!need(r, 8, what)) return 0;
    uint64_t lo = rd32(r->p), hi = rd32(r->p + 4);
    r->p += 8;
    return lo | (hi << 32);
}
/* An array of n items of at least min_item bytes each must fit in what is left. */
static int fits(Reader *r, uint64_t n, size_t min_item, const char *what)
{
    if (r->failed) return 0;
    if (n * min_item > (uint64_t)(r->end - r->p)) {
        fail(r, "truncated module: %s count %llu exceeds the file", what, (unsigned long long)n);
        return 0;
    }
    return 1;
}

static void type_spec(Reader *r, TypeSpec *t, const char *what)
{
    t->tag = u8(r, what);
    t->sidx = u16(r, what);
}

static Str *immortal_str(const uint8_t *bytes, uint32_t len)
{
    Str *s = malloc(sizeof(Str) + len + 1);
    if (!s) return NULL;
    atomic_init(&s->rc, 1);
    s->immortal = 1;
    s->len = len;
    s->pad = 0;
    memcpy(s->data, bytes, len);
    s->data[len] = 0;
    return s;
}

Module *module_parse(const uint8_t *bytes, int64_t len, char *err, size_t err_cap)
{
    if (err_cap) err[0] = 0;
    Module *m = calloc(1, sizeof *m);
    for (int i = 0; m && i <= VM_SHARD_OTHER; i++) atomic_flag_clear(&m->shard[i].lock);
    if (!m || !bytes || len < 0) {
        if (err_cap) snprintf(err, err_cap, "%s", m ? "no module bytes" : "out of memory");
        free(m);
        return NULL;
    }
    m->bytes = malloc(len ? (size_t)len : 1);
    if (!m->bytes) {
        if (err_cap) snprintf(err, err_cap, "out of memory");
        free(m);
        return NULL;
    }
    memcpy(m->bytes, bytes, (size_t)len);
    m->len = len;
    Reader rd = {m->bytes, m->bytes + len, err, err_cap, 0}, *r = &rd;

    if (!need(r, 16, "header")) goto bad;
    if (memcmp(r->p, "JANB", 4) != 0) {
        fail(r, "not a Janus module (bad magic)");
        goto bad;
    }
    r->p += 4;
    uint16_t major = u16(r, "header"), minor = u16(r, "header"), opcount = u16(r, "header");
    if (major != VM_VERSION_MAJOR) {
        fail(r, "module format version %u.%u is not supported (this VM runs %d.x)", major,
             minor, VM_VERSION_MAJOR);
        goto bad;
    }
    if (minor > VM_VERSION_MINOR) {
        fail(r, "module format version %u.%u is newer than this VM (%d.%d)", major, minor,
             VM_VERSION_MAJOR, VM_VERSION_MINOR);
        goto bad;
    }
    if (opcount > OP__COUNT) {
        fail(r, "module was compiled for %u opcodes; this VM knows %d", opcount, OP__COUNT);
        goto bad;
    }
    m->source_name = u16(r, "header");
    m->init_fn = u16(r, "header");
    m->main_fn = u16(r, "header");

    /* constants */
    uint32_t nconsts = u32(r, "constant pool");
    if (!fits(r, nconsts, 9, "constant")) goto bad;
    m->nconsts = nconsts;
    m->consts = calloc(nconsts ? nconsts : 1, sizeof(Value));
    if (!m->consts) goto oom;
    for (uint32_t i = 0; i < nconsts && !r->failed; i++) {
        uint8_t tag = u8(r, "constant");
        if (tag == CONST_INT) {
            m->consts[i] = INT_VAL((int64_t)u64(r, "int constant"));
        } else if (tag == CONST_FLOAT) {
            uint64_t bits = u64(r, "float constant");
            double d;
            memcpy(&d, &bits, 8);
            m->consts[i] = FLOAT_VAL(d);
        } else if (tag == CONST_STRING) {
            uint32_t n = u32(r, "string constant");
            if (!need(r, n, "string constant")) break;
            Str *s = immortal_str(r->p, n);
            if (!s) goto oom;
            m->consts[i] = STR_VAL(s);
            r->p += n;
        } else {
            fail(r, "constant %u has unknown tag %u", i, tag);
        }
    }
    if (r->failed) goto bad;

    /* structs */
    m->nstructs = u16(r, "struct table");
    if (!fits(r, m->nstructs, 4, "struct")) goto bad;
    m->structs = calloc(m->nstructs ? m->nstructs : 1, sizeof(StructDef));
    if (!m->structs) goto oom;
    for (int i = 0; i < m->nstructs && !r->failed; i++) {
        StructDef *s = &m->structs[i];
        s->name = u16(r, "struct");
        uint16_t nf = u16(r, "struct");
        if (!fits(r, nf, 5, "struct field")) break;
        s->field_names = calloc(nf ? nf : 1, sizeof(uint16_t));
        s->field_types = calloc(nf ? nf : 1, sizeof(TypeSpec));
        if (!s->field_names || !s->field_types) goto oom;
        s->nfields = nf;
        for (int j = 0; j < nf; j++) {
            s->field_names[j] = u16(r, "struct field");
            type_spec(r, &s->field_types[j], "struct field type");
        }
    }
    if (r->failed) goto bad;

    /* error sets */
    m->nsets = u16(r, "error-set table");
    if (!fits(r, m->nsets, 4, "error set")) goto bad;
    m->sets = calloc(m->nsets ? m->nsets : 1, sizeof(ErrorSet));
    if (!m->sets) goto oom;
    for (int i = 0; i < m->nsets && !r->failed; i++) {
        ErrorSet *e = &m->sets[i];
        e->name = u16(r, "error set");
        uint16_t nv = u16(r, "error set");
        if (!fits(r, nv, 2, "error variant")) break;
        e->variants = calloc(nv ? nv : 1, sizeof(uint16_t));
        if (!e->variants) goto oom;
        e->nvariants = nv;
        for (int j = 0; j < nv; j++) e->variants[j] = u16(r, "error variant");
    }
    if (r->failed) goto bad;

    /* globals */
    m->nglobals = u16(r, "globals table");
    if (!fits(r, m->nglobals, 3, "global")) goto bad;
    m->globals = aligned_alloc(16, sizeof(Global) * (m->nglobals ? m->nglobals : 1));
    if (!m->globals) goto oom;
    memset(m->globals, 0, sizeof(Global) * (m->nglobals ? m->nglobals : 1));
    for (int i = 0; i < m->nglobals; i++) {
        m->globals[i].name = u16(r, "global");
        m->globals[i].kind = u8(r, "global");
    }
    if (r->failed) goto bad;

    /* functions */
    m->nfuncs = u16(r, "function table");
    if (!fits(r, m->nfuncs, 25, "function")) goto bad;
    m->funcs = calloc(m->nfuncs ? m->nfuncs : 1, sizeof(Function));
    if (!m->funcs) goto oom;
    for (int i = 0; i < m->nfuncs && !r->failed; i++) {
        Function *f = &m->funcs[i];
        uint16_t name = u16(r, "function");
        f->arity = u8(r, "function");
        f->flags = u8(r, "function");
        f->ncap = u8(r, "function");
        f->nlocals = u16(r, "function");
        f->max_stack = u16(r, "function");
        f->line = u32(r, "function");
        if (r->failed) break;
        if (name >= m->nconsts || m->consts[name].tag != T_STR) {
            fail(r, "function %d: name constant %u is not a string", i, name);
            break;
        }
        f->name = m->consts[name].as.s;
        if (!fits(r, f->arity, 5, "parameter")) break;
        f->params = calloc(f->arity ? f->arity : 1, sizeof(TypeSpec));
        f->param_names = calloc(f->arity ? f->arity : 1, sizeof(uint16_t));
        if (!f->params || !f->param_names) goto oom;
        for (int j = 0; j < f->arity; j++) {
            f->param_names[j] = u16(r, "parameter");
            type_spec(r, &f->params[j], "parameter type");
            if (f->params[j].tag != TY_ANY) f->check_params = 1;
        }
        type_spec(r, &f->ret, "return type");
        f->code_len = u32(r, "code length");
        if (!need(r, f->code_len, "code")) break;
        f->code = f->orig_code = (uint8_t *)r->p;     /* points into m->bytes */
        r->p += f->code_len;
        f->nlines = u32(r, "line table");
        if (!fits(r, f->nlines, 10, "line entry")) break;
        f->lines = calloc(f->nlines ? f->nlines : 1, sizeof(LineEntry));
        if (!f->lines) goto oom;
        for (uint32_t j = 0; j < f->nlines; j++) {
            f->lines[j].pc = u32(r, "line entry");
            f->lines[j].line = u32(r, "line entry");
            f->lines[j].col = u16(r, "line entry");
        }
    }
    if (r->failed) goto bad;
    if (!need(r, 4, "trailer")) goto bad;
    if (memcmp(r->p, "JEND", 4) != 0) {
        fail(r, "bad trailer (expected JEND)");
        goto bad;
    }
    r->p += 4;
    if (r->p != r->end) {
        fail(r, "%ld stray bytes after the trailer", (long)(r->end - r->p));
        goto bad;
    }
    return m;

oom:
    fail(r, "out of memory while loading the module");
bad:
    module_destroy(m);
    return NULL;
}

void module_destroy(Module *m)
{
    if (!m) return;
    if (m->globals) {
        for (int i = 0; i < m->nglobals; i++) vrelease(NULL, m->globals[i].let_value);
    }
    if (m->consts) {
        for (uint32_t i = 0; i < m->nconsts; i++)
            if (m->consts[i].tag == T_STR) free(m->consts[i].as.s);
    }
    if (m->structs) {
        for (int i = 0; i < m->nstructs; i++) {
            free(m->structs[i].field_names);
            free(m->structs[i].field_types);
        }
    }
    if (m->sets)
        for (int i = 0; i < m->nsets; i++) free(m->sets[i].variants);
    if (m->funcs) {
        for (int i = 0; i < m->nfuncs; i++) {
            free(m->funcs[i].params);
            free(m->funcs[i].param_names);
            free(m->funcs[i].lines);
            free(m->funcs[i].quick_code);
            free(m->funcs[i].ptags);
        }
    }
    for (int i = 0; i <= VM_SHARD_OTHER; i++) {
        for (struct VtFree *b = m->shard[i].vt_free, *next; b; b = next) {
            next = b->next;
            free(b);
        }
    }
    free(m->consts);
    free(m->structs);
    free(m->sets);
    free(m->globals);
    free(m->funcs);
    free(m->bytes);
    free(m);
}

int32_t function_line_at(const Function *f, uint32_t pc)
{
    if (f->nlines == 0) return (int32_t)f->line;
    uint32_t lo = 0, hi = f->nlines;      /* last entry with entry.pc <= pc */
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->lines[mid].pc <= pc) lo = mid;
        else hi = mid;
    }
    return (int32_t)f->lines[lo].line;
}

const char *const_cstr(const Module *m, uint16_t k)
{
    if (k < m->nconsts && m->consts[k].tag == T_STR) return m->consts[k].as.s->data;
    return "?";
}
