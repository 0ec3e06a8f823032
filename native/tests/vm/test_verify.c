/*
 * test_verify.c — the verifier rejects bad modules with a message and accepts good
 * ones. Modules are built by a tiny in-test assembler (mb_*), so each case states
 * exactly the bytes it feeds the loader; the checked-in modules of tests/vm/modules
 * must all verify, and every truncation of one must be rejected without a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "janusvm.h"
#include "module.h"

/* ---- module builder ----------------------------------------------------------------- */

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
} Buf;

static void put(Buf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}
static void u8(Buf *b, unsigned v) { uint8_t x = (uint8_t)v; put(b, &x, 1); }
static void u16(Buf *b, unsigned v) { u8(b, v & 0xFF); u8(b, (v >> 8) & 0xFF); }
static void u32(Buf *b, uint32_t v) { u16(b, v & 0xFFFF); u16(b, v >> 16); }
static void str(Buf *b, const char *s) { u8(b, 3); u32(b, (uint32_t)strlen(s)); put(b, s, strlen(s)); }

/* Constants: 0 "t.jan", 1 "main", 2 "<init>", 3 "Runtime", 4 "NetError", 5.. variants,
 * then INT 7 at index K_INT. */
static const char *const rt_variants[] = {"Cancelled", "DivByZero", "IndexOutOfBounds", "TypeMismatch",
                                          "Overflow", "BudgetExceeded", "SpawnLimit", "StackOverflow",
                                          "AssertionFailed"};
enum { K_FILE = 0, K_MAIN = 1, K_INIT = 2, K_RT = 3, K_NET = 4, K_V0 = 5, K_REFUSED = 14, K_TIMEOUT = 15, K_INT = 16 };

/* Build a module whose main has the given code, locals and max stack (init: NIL RETURN). */
static Buf build(const uint8_t *code, uint32_t len, unsigned locals, unsigned max_stack)
{
    Buf b = {0};
    put(&b, "JANB", 4);
    u16(&b, 1); u16(&b, 0); u16(&b, 71);
    u16(&b, K_FILE); u16(&b, 1); u16(&b, 0);          /* init = function 1, main = 0 */
    u32(&b, 17);
    str(&b, "t.jan"); str(&b, "main"); str(&b, "<init>"); str(&b, "Runtime"); str(&b, "NetError");
    for (int i = 0; i < 9; i++) str(&b, rt_variants[i]);
    str(&b, "Refused"); str(&b, "Timeout");
    u8(&b, 1); u32(&b, 7); u32(&b, 0);                 /* INT 7 */
    u16(&b, 0);                                        /* structs */
    u16(&b, 2);                                        /* error sets */
    u16(&b, K_RT); u16(&b, 9); for (int i = 0; i < 9; i++) u16(&b, K_V0 + i);
    u16(&b, K_NET); u16(&b, 2); u16(&b, K_REFUSED); u16(&b, K_TIMEOUT);
    u16(&b, 0);                                        /* globals */
    u16(&b, 2);                                        /* functions */
    /* main */
    u16(&b, K_MAIN); u8(&b, 0); u8(&b, 1); u8(&b, 0); u16(&b, locals); u16(&b, max_stack); u32(&b, 1);
    u8(&b, 0); u16(&b, 0xFFFF);                        /* return type ANY */
    u32(&b, len); put(&b, code, len);
    u32(&b, 1); u32(&b, 0); u32(&b, 1); u16(&b, 1);
    /* init */
    static const uint8_t init_code[] = {OP_NIL, OP_RETURN};
    u16(&b, K_INIT); u8(&b, 0); u8(&b, 4 | 8); u8(&b, 0); u16(&b, 0); u16(&b, 1); u32(&b, 0);
    u8(&b, 0); u16(&b, 0xFFFF);
    u32(&b, 2); put(&b, init_code, 2);
    u32(&b, 0);
    put(&b, "JEND", 4);
    return b;
}

static int loads(Buf b, char *err, size_t cap)
{
    jvm_module *m = jvm_module_load(b.p, (int64_t)b.n, err, (int64_t)cap);
    if (m) jvm_module_free(m);
    return m != NULL;
}

#define REJECT(code_arr, locals, stack, what)                                              \
    do {                                                                                   \
        Buf b_ = build(code_arr, sizeof code_arr, locals, stack);                          \
        char e_[256] = "";                                                                 \
        int ok_ = loads(b_, e_, sizeof e_);                                                \
        CHECK(!ok_ && e_[0], "rejects %s: %s", what, e_);                                  \
        free(b_.p);                                                                        \
    } while (0)

int main(void)
{
    char err[256];

    /* a good module */
    static const uint8_t good[] = {OP_CONST, K_INT, 0, OP_CALL_BUILTIN, 1, 1, OP_POP, OP_NIL, OP_RETURN};
    Buf g = build(good, sizeof good, 0, 1);
    CHECK(loads(g, err, sizeof err), "accepts a good module");

    /* every truncation of it, and junk after it, is rejected (no crash, a message) */
    int all = 1;
    for (size_t n = 0; n < g.n; n++) {
        err[0] = 0;
        jvm_module *m = jvm_module_load(g.p, (int64_t)n, err, sizeof err);
        if (m || !err[0]) { all = 0; jvm_module_free(m); printf("# truncation at %zu accepted\n", n); }
    }
    CHECK(all, "rejects all %zu truncations with a message", g.n);
    Buf junk = g;
    junk.p = malloc(g.n + 1);
    memcpy(junk.p, g.p, g.n);
    junk.p[g.n] = 0;
    junk.n = g.n + 1;
    CHECK(!loads(junk, err, sizeof err), "rejects trailing bytes: %s", err);
    free(junk.p);

    /* header fields */
    Buf h = build(good, sizeof good, 0, 1);
    h.p[0] = 'X';
    CHECK(!loads(h, err, sizeof err) && strstr(err, "magic"), "rejects bad magic: %s", err);
    h.p[0] = 'J';
    h.p[4] = 2;
    CHECK(!loads(h, err, sizeof err) && strstr(err, "version"), "rejects another major version: %s", err);
    h.p[4] = 1;
    h.p[6] = 9;
    CHECK(!loads(h, err, sizeof err) && strstr(err, "newer"), "rejects a newer minor version: %s", err);
    h.p[6] = 0;
    h.p[8] = 0xFF;
    CHECK(!loads(h, err, sizeof err) && strstr(err, "opcodes"), "rejects a larger opcode count: %s", err);
    free(h.p);
    free(g.p);

    /* code */
    static const uint8_t bad_jump[] = {OP_JUMP, 4, 0, 0, 0, OP_NIL, OP_RETURN};      /* into JUMP's operand */
    REJECT(bad_jump, 0, 1, "a jump into the middle of an instruction");
    static const uint8_t far_jump[] = {OP_JUMP, 200, 0, 0, 0, OP_NIL, OP_RETURN};
    REJECT(far_jump, 0, 1, "a jump past the end");
    static const uint8_t bad_const[] = {OP_CONST, 200, 0, OP_RETURN};
    REJECT(bad_const, 0, 1, "a constant index out of range");
    static const uint8_t bad_field[] = {OP_NIL, OP_GET_FIELD, K_INT, 0, OP_RETURN};
    REJECT(bad_field, 0, 1, "a field name that is not a string constant");
    static const uint8_t underflow[] = {OP_POP, OP_NIL, OP_RETURN};
    REJECT(underflow, 0, 1, "a stack underflow");
    static const uint8_t over_max[] = {OP_NIL, OP_NIL, OP_POP, OP_RETURN};
    REJECT(over_max, 0, 1, "a depth above max_stack");
    /* two paths reaching L with different depths: if c then push 1 */
    static const uint8_t imbalance[] = {OP_TRUE, OP_JUMP_IF_FALSE, 9, 0, 0, 0, OP_NIL, OP_NIL, OP_POP,
                                        /* 9: */ OP_NIL, OP_RETURN};
    (void)imbalance;
    static const uint8_t imbalance2[] = {OP_TRUE, OP_JUMP_IF_FALSE, 7, 0, 0, 0, OP_NIL,
                                         /* 7: */ OP_NIL, OP_RETURN};
    REJECT(imbalance2, 0, 3, "different stack depths on two paths");
    static const uint8_t bad_local[] = {OP_LOAD_LOCAL, 3, 0, OP_RETURN};
    REJECT(bad_local, 2, 1, "a local index out of range");
    static const uint8_t bad_capture[] = {OP_LOAD_CAPTURE, 0, OP_RETURN};
    REJECT(bad_capture, 0, 1, "a capture in a function without captures");
    static const uint8_t bad_global[] = {OP_GET_GLOBAL, 0, 0, OP_RETURN};
    REJECT(bad_global, 0, 1, "a global index out of range");
    static const uint8_t bad_func[] = {OP_CALL_FUNC, 9, 0, 0, OP_RETURN};
    REJECT(bad_func, 0, 1, "a function index out of range");
    static const uint8_t bad_arity[] = {OP_NIL, OP_CALL_FUNC, 0, 0, 1, OP_RETURN};
    REJECT(bad_arity, 0, 2, "a call with the wrong argument count");
    static const uint8_t bad_builtin[] = {OP_CALL_BUILTIN, 99, 0, OP_RETURN};
    REJECT(bad_builtin, 0, 1, "an unknown builtin");
    static const uint8_t bad_builtin_argc[] = {OP_CALL_BUILTIN, 2, 0, OP_RETURN};  /* len() */
    REJECT(bad_builtin_argc, 0, 1, "a builtin with too few arguments");
    static const uint8_t bad_method[] = {OP_NIL, OP_CALL_METHOD, 1, 0, OP_RETURN};  /* push() */
    REJECT(bad_method, 0, 2, "a method with the wrong argument count");
    static const uint8_t bad_error[] = {OP_MAKE_ERROR, 1, 0, 5, 0, OP_RETURN};
    REJECT(bad_error, 0, 1, "an error variant out of range");
    static const uint8_t bad_struct[] = {OP_NEW_STRUCT, 0, 0, OP_RETURN};
    REJECT(bad_struct, 0, 1, "a struct index out of range");
    static const uint8_t bad_opcode[] = {0xF0, OP_NIL, OP_RETURN};
    REJECT(bad_opcode, 0, 1, "an unknown opcode");
    static const uint8_t cut_operand[] = {OP_NIL, OP_RETURN, OP_CONST, 0};
    REJECT(cut_operand, 0, 1, "an operand running past the code end");
    static const uint8_t fall_off[] = {OP_NIL, OP_POP};
    REJECT(fall_off, 0, 1, "code falling off its end");
    static const uint8_t try_pop_alone[] = {OP_TRY_POP, OP_NIL, OP_RETURN};
    REJECT(try_pop_alone, 0, 1, "TRY_POP without a handler");
    static const uint8_t close_alone[] = {OP_NURSERY_CLOSE, OP_NIL, OP_RETURN};
    REJECT(close_alone, 0, 1, "NURSERY_CLOSE without a nursery");
    static const uint8_t return_in_try[] = {OP_TRY_PUSH, 7, 0, 0, 0, OP_NIL, OP_RETURN, OP_RETURN};
    REJECT(return_in_try, 0, 1, "RETURN with a handler still pushed");
    static const uint8_t mismatched[] = {OP_NURSERY_OPEN, OP_POP, OP_TRY_PUSH, 12, 0, 0, 0,
                                         OP_NURSERY_CLOSE, OP_NIL, OP_RETURN, OP_NIL, OP_RETURN,
                                         /* 12: */ OP_RETURN};
    REJECT(mismatched, 0, 2, "NURSERY_CLOSE over a handler");
    static const uint8_t let_store[] = {OP_NIL, OP_SET_GLOBAL, 0, 0, OP_NIL, OP_RETURN};
    REJECT(let_store, 0, 1, "a global store to a missing global");

    /* a good handler shape is accepted: TRY_PUSH L; NIL; TRY_POP; JUMP E; L: POP-free; E: RETURN */
    static const uint8_t handler[] = {OP_TRY_PUSH, 12, 0, 0, 0, OP_NIL, OP_TRY_POP, OP_JUMP, 12, 0, 0, 0,
                                      /* 12: */ OP_RETURN};
    Buf hb = build(handler, sizeof handler, 0, 1);
    CHECK(loads(hb, err, sizeof err), "accepts a handler (depth+1 at the target): %s", err);
    free(hb.p);

    /* every checked-in module verifies */
    FILE *ls = popen("ls tests/vm/modules/*.jbc 2>/dev/null", "r");
    char path[512];
    int nmods = 0, nok = 0;
    while (ls && fgets(path, sizeof path, ls)) {
        path[strcspn(path, "\n")] = 0;
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        uint8_t buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        nmods++;
        jvm_module *m = jvm_module_load(buf, (int64_t)n, err, sizeof err);
        if (m) {
            nok++;
            jvm_module_free(m);
        } else {
            printf("# %s: %s\n", path, err);
        }
    }
    if (ls) pclose(ls);
    CHECK(nmods > 0 && nok == nmods, "all %d checked-in modules verify (%d ok)", nmods, nok);
    printf("test_verify: %d checks passed\n", harness_checks);
    return 0;
}
