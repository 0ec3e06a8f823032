/*
 * builtins.c — sync builtins (CALL_BUILTIN), built-in methods (CALL_METHOD), the
 * arithmetic shared by ADD..MOD and GLOBAL_RMW, and run-time type checks.
 *
 * Convention: arguments are borrowed (the loop releases them afterwards); the result
 * is a new reference in *out; the return value is 0 or a Runtime error variant + 1,
 * with the detail in vt->msg. These run on the fiber: anything libc-heavy (float
 * formatting and parsing) goes through jrt_call_on_worker_stack.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define ERR(variant, ...) (snprintf(vt->msg, sizeof vt->msg, __VA_ARGS__), (variant) + 1)
#define MAX_STR_BYTES (1u << 30)

/* ---- type checks -------------------------------------------------------------------- */

const char *type_spec_name(const Module *m, TypeSpec t)
{
    if (t.tag == TY_STRUCT && t.sidx < m->nstructs) return const_cstr(m, m->structs[t.sidx].name);
    if (t.tag == TY_ARRAY) return "Array";
    return t.tag < TY__COUNT ? vm_type_names[t.tag] : "?";
}

/* ---- arithmetic ----------------------------------------------------------------------- */

static int to_str(VMTask *vt, Value v, Str **out)
{
    if (v.tag == T_STR) {
        vretain(v);
        *out = v.as.s;
        return 0;
    }
    StrBuf b;
    sb_init(&b);
    value_render(vt->m, &b, v, 1, 1);
    if (b.len > MAX_STR_BYTES) {
        sb_free(&b);
        return ERR(E_BudgetExceeded, "string too long");
    }
    *out = str_new(vt, b.data ? b.data : "", b.len);
    sb_free(&b);
    return 0;
}

static const char *const op_sym[] = {"+", "-", "*", "/", "%"};

int arith(VMTask *vt, int op, Value a, Value b, Value *out)
{
    if (a.tag == T_INT && b.tag == T_INT) {
        int64_t x = a.as.i, y = b.as.i, r = 0;
        switch (op) {
        case 0: if (__builtin_add_overflow(x, y, &r)) return ERR(E_Overflow, "integer overflow in +"); break;
        case 1: if (__builtin_sub_overflow(x, y, &r)) return ERR(E_Overflow, "integer overflow in -"); break;
        case 2: if (__builtin_mul_overflow(x, y, &r)) return ERR(E_Overflow, "integer overflow in *"); break;
        case 3:
            if (y == 0) return ERR(E_DivByZero, "integer division by zero");
            if (x == INT64_MIN && y == -1) return ERR(E_Overflow, "integer overflow in /");
            r = x / y;
            break;
        default:
            if (y == 0) return ERR(E_DivByZero, "integer modulo by zero");
            r = (y == -1) ? 0 : x % y;
            break;
        }
        *out = INT_VAL(r);
        return 0;
    }
    if ((a.tag == T_INT || a.tag == T_FLOAT) && (b.tag == T_INT || b.tag == T_FLOAT)) {
        double x = a.tag == T_INT ? (double)a.as.i : a.as.f;
        double y = b.tag == T_INT ? (double)b.as.i : b.as.f, r;
        switch (op) {
        case 0: r = x + y; break;
        case 1: r = x - y; break;
        case 2: r = x * y; break;
        case 3:
            if (y == 0.0) return ERR(E_DivByZero, "division by zero");
            r = x / y;
            break;
        default:
            if (y == 0.0) return ERR(E_DivByZero, "modulo by zero");
            r = fmod(x, y);
            break;
        }
        *out = FLOAT_VAL(r);
        return 0;
    }
    if (op == 0 && (a.tag == T_STR || b.tag == T_STR)) {
        Str *sa, *sb;
        int rc = to_str(vt, a, &sa);
        if (rc) return rc;
        rc = to_str(vt, b, &sb);
        if (rc) {
            vrelease(vt, STR_VAL(sa));
            return rc;
        }
        int ok = (size_t)sa->len + sb->len <= MAX_STR_BYTES;
        Str *r = ok ? str_concat(vt, sa, sb) : NULL;
        vrelease(vt, STR_VAL(sa));
        vrelease(vt, STR_VAL(sb));
        if (!r) return ERR(E_BudgetExceeded, "string too long");
        *out = STR_VAL(r);
        return 0;
    }
    return ERR(E_TypeMismatch, "cannot apply %s to %s and %s", op_sym[op], value_type_name(a),
               value_type_name(b));
}

/* ---- builtins ------------------------------------------------------------------------- */

typedef struct ParseJob {
    const char *s;
    double d;
    int ok;
} ParseJob;

static void parse_float_job(void *arg)
{
    ParseJob *j = arg;
    char *end;
    j->d = strtod(j->s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n') end++;
    j->ok = end != j->s && *end == 0;
}

static int parse_int(const char *s, int64_t *out)
{
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    int neg = 0;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (*s < '0' || *s > '9') return 0;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    while (*s >= '0' && *s <= '9') {
        uint64_t d = (uint64_t)(*s++ - '0');
        if (v > (lim - d) / 10) return -1;
        v = v * 10 + d;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (*s) return 0;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

static int print_args(VMTask *vt, Value *args, int argc, int newline)
{
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < argc; i++) {
        if (i) sb_putc(&b, ' ');
        value_render(vt->m, &b, args[i], 1, 1);
    }
    if (newline) sb_putc(&b, '\n');
    jrt_emit_print(b.data ? b.data : "", b.len);
    sb_free(&b);
    return 0;
}

int builtin_call(VMTask *vt, int id, Value *args, int argc, Value *out)
{
    *out = NIL_VAL;
    switch (id) {
    case BI_PRINT: return print_args(vt, args, argc, 0);
    case BI_PRINTLN: return print_args(vt, args, argc, 1);
    case BI_LEN:
        if (args[0].tag == T_STR) *out = INT_VAL(args[0].as.s->len);
        else if (args[0].tag == T_ARRAY) *out = INT_VAL(args[0].as.a->len);
        else return ERR(E_TypeMismatch, "len of a %s", value_type_name(args[0]));
        return 0;
    case BI_STR: {
        Str *s;
        int rc = to_str(vt, args[0], &s);
        if (rc) return rc;
        *out = STR_VAL(s);
        return 0;
    }
    case BI_INT: {
        Value v = args[0];
        if (v.tag == T_INT) { *out = v; return 0; }
        if (v.tag == T_BOOL) { *out = INT_VAL(v.as.i); return 0; }
        if (v.tag == T_FLOAT) {
            double d = trunc(v.as.f);
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                return isnan(d) ? ERR(E_TypeMismatch, "int(nan)") : ERR(E_Overflow, "float out of int range");
            *out = INT_VAL((int64_t)d);
            return 0;
        }
        if (v.tag == T_STR) {
            int64_t n;
            int r = parse_int(v.as.s->data, &n);
            if (r < 0) return ERR(E_Overflow, "\"%.40s\" is out of int range", v.as.s->data);
            if (r == 0) return ERR(E_TypeMismatch, "\"%.40s\" is not an int", v.as.s->data);
            *out = INT_VAL(n);
            return 0;
        }
        return ERR(E_TypeMismatch, "int of a %s", value_type_name(v));
    }
    case BI_FLOAT: {
        Value v = args[0];
        if (v.tag == T_FLOAT) { *out = v; return 0; }
        if (v.tag == T_INT) { *out = FLOAT_VAL((double)v.as.i); return 0; }
        if (v.tag == T_STR) {
            ParseJob j = {v.as.s->data, 0, 0};
            jrt_call_on_worker_stack(parse_float_job, &j);
            if (!j.ok) return ERR(E_TypeMismatch, "\"%.40s\" is not a float", v.as.s->data);
            *out = FLOAT_VAL(j.d);
            return 0;
        }
        return ERR(E_TypeMismatch, "float of a %s", value_type_name(v));
    }
    case BI_ASSERT: {
        if (args[0].tag != T_BOOL) return ERR(E_TypeMismatch, "assert needs a bool, got %s", value_type_name(args[0]));
        if (args[0].as.i) return 0;
        if (argc > 1) {
            StrBuf b;
            sb_init(&b);
            value_render(vt->m, &b, args[1], 1, 1);
            snprintf(vt->msg, sizeof vt->msg, "%s", b.data ? b.data : "");
            sb_free(&b);
        } else {
            snprintf(vt->msg, sizeof vt->msg, "assertion failed");
        }
        return E_AssertionFailed + 1;
    }
    case BI_TASK_ID: *out = INT_VAL(jrt_task_id()); return 0;
    case BI_WORKER_ID: *out = INT_VAL(jrt_worker_id()); return 0;
    case BI_NOW_MS: *out = INT_VAL(jrt_now_ms()); return 0;
    case BI_RANDOM:
        if (args[0].tag != T_INT) return ERR(E_TypeMismatch, "random needs an int, got %s", value_type_name(args[0]));
        if (args[0].as.i <= 0) return ERR(E_TypeMismatch, "random(n) needs n > 0, got %lld", (long long)args[0].as.i);
        *out = INT_VAL(jrt_random(args[0].as.i));
        return 0;
    default:
        return ERR(E_TypeMismatch, "unknown builtin %d", id);
    }
}

/* ---- methods -------------------------------------------------------------------------- */

static int no_method(VMTask *vt, Value recv, int id)
{
    return ERR(E_TypeMismatch, "a %s has no method `%s`", value_type_name(recv), vm_method_names[id]);
}

static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

int method_call(VMTask *vt, int id, Value *a, Value *out)
{
    Value recv = a[0];
    *out = NIL_VAL;
    switch (id) {
    case M_LEN:
        if (recv.tag == T_ARRAY) *out = INT_VAL(recv.as.a->len);
        else if (recv.tag == T_STR) *out = INT_VAL(recv.as.s->len);
        else return no_method(vt, recv, id);
        return 0;
    case M_PUSH:
        if (recv.tag != T_ARRAY) return no_method(vt, recv, id);
        vretain(a[1]);
        if (array_push(vt, recv.as.a, a[1]) != 0) return ERR(E_BudgetExceeded, "array too large");
        return 0;
    case M_POP:
        if (recv.tag != T_ARRAY) return no_method(vt, recv, id);
        if (recv.as.a->len == 0) return ERR(E_IndexOutOfBounds, "pop from an empty array");
        *out = recv.as.a->items[--recv.as.a->len];   /* the array's reference moves out */
        return 0;
    case M_SUM: {
        if (recv.tag != T_ARRAY) return no_method(vt, recv, id);
        Value acc = INT_VAL(0);
        vt->bulk_ops += recv.as.a->len;
        for (uint32_t i = 0; i < recv.as.a->len; i++) {
            Value x = recv.as.a->items[i];
            if (x.tag != T_INT && x.tag != T_FLOAT)
                return ERR(E_TypeMismatch, "sum of an array holding a %s", value_type_name(x));
            int rc = arith(vt, 0, acc, x, &acc);
            if (rc) return rc;
        }
        *out = acc;
        return 0;
    }
    case M_CONTAINS:
        if (recv.tag != T_STR) return no_method(vt, recv, id);
        if (a[1].tag != T_STR) return ERR(E_TypeMismatch, "contains needs a string, got %s", value_type_name(a[1]));
        vt->bulk_ops += recv.as.s->len >> VM_BULK_SHIFT;
        *out = BOOL_VAL(memmem(recv.as.s->data, recv.as.s->len, a[1].as.s->data, a[1].as.s->len) != NULL);
        return 0;
    case M_SPLIT: {
        if (recv.tag != T_STR) return no_method(vt, recv, id);
        if (a[1].tag != T_STR) return ERR(E_TypeMismatch, "split needs a string, got %s", value_type_name(a[1]));
        const Str *s = recv.as.s, *sep = a[1].as.s;
        Array *arr = array_new(vt, 4);
        Value av = ARRAY_VAL(arr);
        if (sep->len == 0) {     /* split into characters (UTF-8 sequences) */
            for (uint32_t i = 0; i < s->len;) {
                uint32_t n = (uint32_t)utf8_len((unsigned char)s->data[i]);
                if (i + n > s->len) n = s->len - i;
                array_push(vt, arr, STR_VAL(str_new(vt, s->data + i, n)));
                i += n;
            }
        } else {
            const char *p = s->data, *end = s->data + s->len;
            for (;;) {
                const char *q = memmem(p, (size_t)(end - p), sep->data, sep->len);
                if (!q) {
                    array_push(vt, arr, STR_VAL(str_new(vt, p, (size_t)(end - p))));
                    break;
                }
                array_push(vt, arr, STR_VAL(str_new(vt, p, (size_t)(q - p))));
                p = q + sep->len;
            }
        }
        *out = av;
        return 0;
    }
    case M_UPPER:
    case M_LOWER: {
        if (recv.tag != T_STR) return no_method(vt, recv, id);
        Str *r = str_new(vt, recv.as.s->data, recv.as.s->len);
        for (uint32_t i = 0; i < r->len; i++) {
            char c = r->data[i];
            if (id == M_UPPER && c >= 'a' && c <= 'z') r->data[i] = (char)(c - 32);
            if (id == M_LOWER && c >= 'A' && c <= 'Z') r->data[i] = (char)(c + 32);
        }
        *out = STR_VAL(r);
        return 0;
    }
    default:
        return ERR(E_TypeMismatch, "unknown method %d", id);
    }
}
